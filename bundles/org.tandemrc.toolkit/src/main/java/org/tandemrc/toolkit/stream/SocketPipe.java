package org.tandemrc.toolkit.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One TCP socket joined to a flow-controlled byte stream (a tunnel's {@code ToolStream} on the Host, its
 * {@code OpenStream} on the Guest). What the socket receives goes to the stream in pieces of at most the
 * stream's largest write, each only once the stream took the one before; what the stream delivers is
 * written to the socket on the pipe's own thread, so a peer that does not read holds the sender through the
 * returned stages and never blocks the stream's thread, and {@link #close} always gets through.
 */
@ProviderType
public final class SocketPipe implements AutoCloseable {

    /** How the socket's side ended: {@code failure} null when its peer closed the connection. */
    @FunctionalInterface
    public interface Ended {
        void ended(@Nullable String failure);
    }

    private final Socket socket;
    private final String name;
    private final ExecutorService writer;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param name names the pipe's threads, e.g. the destination */
    public SocketPipe(Socket socket, String name) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.name = name;
        this.writer = Executors.newSingleThreadExecutor(r -> daemon(r, "tandem-pipe-out-" + name));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts copying what the socket receives to {@code sink}, at most {@code maxWrite} bytes a piece, each
     * piece only once the stage of the one before completed. {@code ended} is called once when the socket's
     * peer closed its side, reading failed, or the sink's stage failed (the stream ended); not after
     * {@link #close}.
     */
    public void start(Function<ByteBuffer, CompletionStage<Void>> sink, int maxWrite, Ended ended) {
        if (maxWrite < 1) {
            throw new IllegalArgumentException("maxWrite " + maxWrite);
        }
        daemon(() -> pump(sink, maxWrite, ended), "tandem-pipe-in-" + name).start();
    }

    private void pump(Function<ByteBuffer, CompletionStage<Void>> sink, int maxWrite, Ended ended) {
        String failure;
        // Not closed at the end of input: closing a socket's stream closes the socket, and the other way may
        // still carry data.
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[maxWrite];
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    failure = null;
                    break;
                }
                // A fresh array per piece: the sink may keep it.
                sink.apply(ByteBuffer.wrap(Arrays.copyOf(buffer, n))).toCompletableFuture().get();
            }
        } catch (IOException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            failure = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        }
        if (!closed.get()) {
            ended.ended(failure);
        }
    }

    /**
     * Writes {@code data} to the socket after what was written before, on the pipe's own thread.
     *
     * @return completes once written; fails when the socket failed or the pipe was closed
     */
    public CompletionStage<Void> write(ByteBuffer data) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    if (data.hasArray()) {
                        out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
                    } else {
                        byte[] b = new byte[data.remaining()];
                        data.duplicate().get(b);
                        out.write(b);
                    }
                    done.complete(null);
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IOException("the connection is closed"));
        }
        return done;
    }

    /**
     * Closes the socket once everything written before reached it, telling its peer the data is complete
     * (the other side of the stream ended normally).
     */
    public void finish() {
        try {
            writer.execute(() -> {
                try {
                    socket.shutdownOutput();
                } catch (IOException e) {
                    // the peer is gone already; closing below is all that is left
                }
                close();
            });
        } catch (RejectedExecutionException e) {
            // closed already
        }
    }

    /** Closes the socket at once; pending writes fail. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing is all that was asked
            }
            writer.shutdownNow();
        }
    }

    /** Whether {@link #close} ran. */
    public boolean isClosed() {
        return closed.get();
    }
}
