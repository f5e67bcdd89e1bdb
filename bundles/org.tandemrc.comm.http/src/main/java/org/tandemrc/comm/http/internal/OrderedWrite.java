package org.tandemrc.comm.http.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import org.tandemrc.api.comm.SendBacklog;

/**
 * A link's message write, shared by {@link WsLink} and {@link StreamLink}: always through the event
 * loop's queue, even from the loop itself, so that send order is kept; counted in the link's
 * {@link SendBacklog} until it reaches the channel.
 */
final class OrderedWrite {

    private OrderedWrite() {
    }

    /**
     * @param loop       the loop that runs the link's writes and handler calls
     * @param out        the channel that carries this side's messages
     * @param message    what to write (released here when the loop refuses it)
     * @param size       the message's size for the backlog
     * @param writable   run on the loop when a sender told to wait may go on
     * @param closedText the failure's message when the loop is gone
     */
    static CompletableFuture<Void> write(Executor loop, Channel out, Object message, int size, SendBacklog backlog,
            Runnable writable, String closedText) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        backlog.queued(size);
        try {
            loop.execute(() -> {
                out.writeAndFlush(message).addListener(f -> {
                    if (f.isSuccess()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(f.cause());
                    }
                });
                if (backlog.written(size, out.isWritable())) {
                    writable.run();
                }
            });
        } catch (RejectedExecutionException e) {
            backlog.written(size, false);
            ReferenceCountUtil.release(message);
            done.completeExceptionally(new IllegalStateException(closedText));
        }
        return done;
    }
}
