package org.tandemrc.api.tool;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a streaming operation receives from the Guest. Calls come one at a time, in order, on the
 * stream's own thread, never on the connection's. A stream without input needs only {@link #closed}, so a
 * lambda will do: {@code return reason -> worker.interrupt();}.
 */
@ConsumerType
public interface StreamInput {

    /**
     * Bytes the Guest sent: keys for a {@link StreamKind#TERMINAL}, data for {@link StreamKind#BYTES}.
     * The buffer is the tool's to keep. The Guest may send more only as the returned stages complete, so
     * a tool that cannot take more at once (a slow socket) completes the stage later. A stream that takes no
     * input ({@link StreamKind#TEXT}, {@link StreamKind#TABLE}) keeps the default, which drops it at once.
     *
     * @return completes when the bytes are consumed
     */
    default CompletionStage<Void> data(ByteBuffer data) {
        return CompletableFuture.completedFuture(null);
    }

    /** The Guest's terminal now has this many columns and rows ({@link StreamKind#TERMINAL} only). */
    default void resize(int columns, int rows) {
        // a stream without a terminal ignores it
    }

    /**
     * The stream ended: the Guest closed it, the tool {@link ToolStream#end ended} it, the connection
     * dropped, or the tools bundle stops. The tool stops what it started. Called once.
     */
    void closed(String reason);
}
