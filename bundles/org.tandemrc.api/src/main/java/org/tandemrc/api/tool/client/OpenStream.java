package org.tandemrc.api.tool.client;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.tool.StreamKind;

/**
 * The Guest's end of one running streaming operation. Writes are flow-controlled as on the Host
 * ({@link org.tandemrc.api.tool.ToolStream}): wait for each stage before writing more.
 */
@ProviderType
public interface OpenStream extends AutoCloseable {

    /** How the Host said its output is to be shown. */
    StreamKind kind();

    /** The most bytes one {@link #write} carries. */
    int maxWrite();

    /**
     * Sends input to the Host: keys for a terminal, data for a tunnel.
     *
     * @return completes when the Host has room for more; fails when the stream has ended
     * @throws IllegalArgumentException when {@code data} is larger than {@link #maxWrite()}
     */
    CompletionStage<Void> write(ByteBuffer data);

    /** Tells a terminal its new size (1 to 1000 columns and rows); ignored by other kinds. */
    void resize(int columns, int rows);

    /** Ends the stream; the listener's {@link StreamListener#ended} follows. */
    @Override
    void close();
}
