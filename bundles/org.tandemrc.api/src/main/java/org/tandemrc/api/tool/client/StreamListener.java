package org.tandemrc.api.tool.client;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;
import org.tandemrc.api.tool.Result;

/**
 * What a Guest's front end receives from a streaming operation. Calls come one at a time, in order, on the
 * stream's own thread.
 */
@ConsumerType
public interface StreamListener {

    /**
     * Output from the Host, as the stream's {@link org.tandemrc.api.tool.StreamKind} says; the buffer is the
     * listener's to keep. Bytes from a Host are hostile: text is shown as text, never interpreted.
     *
     * @return completes when consumed; the Host sends more only as these complete
     */
    CompletionStage<Void> data(ByteBuffer data);

    /** A result to show in place of the one before (a live table). */
    default void shown(Result result) {
        // a listener that shows no results ignores it
    }

    /**
     * The stream ended, once: {@code ok} with the Host's last sentence (e.g. "exit status 0"), or not ok with
     * why (the Host's failure, the Guest's close, the connection).
     */
    void ended(String sentence, boolean ok);
}
