package org.tandemrc.api.tool;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Host's end of one running streaming operation, where the tool writes its output. Writes are
 * flow-controlled: each returns a stage that completes once the Guest has room for more, and a tool that
 * produces a lot waits for it before writing again (at most one window of unacknowledged output is
 * queued; a write beyond it fails). Methods may be called from any thread.
 */
@ProviderType
public interface ToolStream {

    /** The Guest's name, as the Host proved it, for what the tool records. */
    String guestName();

    /** The name of the Guest's role on this Host, for settings that differ per role. */
    String roleName();

    /** The most bytes one {@link #write} carries. */
    int maxWrite();

    /**
     * Sends output: terminal bytes, UTF-8 text, or tunnel bytes, as the operation's {@link StreamKind}
     * says. The buffer is copied before the call returns.
     *
     * @return completes when the Guest has room for more; fails when the stream has ended
     * @throws IllegalArgumentException when {@code data} is larger than {@link #maxWrite()}
     */
    CompletionStage<Void> write(ByteBuffer data);

    /**
     * Shows a result in place of the one before ({@link StreamKind#TABLE}).
     *
     * @return as {@link #write}
     */
    CompletionStage<Void> show(Result result);

    /**
     * Ends the stream, once, after the output written before it: {@code sentence} tells the Guest how it
     * ended (e.g. "exit status 0"); {@code ok} false marks a failure. Later calls are ignored.
     */
    void end(String sentence, boolean ok);

    /** Whether the stream still runs (neither side ended it). */
    boolean isOpen();
}
