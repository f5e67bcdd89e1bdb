package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.tandemrc.api.files.FileException;
import org.tandemrc.api.session.Channel;

/** A file's data over the session channel: {@link Sender} writes the messages, {@link #apply} reads them. */
final class DataLink {

    private DataLink() {
    }

    /** Turns a file's data into messages, within the flow-control window and the channel's credit. */
    static final class Sender implements FileData {
        private final Channel channel;
        private final Window window;
        private long wireBytes;

        Sender(Channel channel, Window window) {
            this.channel = channel;
            this.window = window;
        }

        /** Bytes of data messages sent for this file. */
        long wireBytes() {
            return wireBytes;
        }

        private void send(ByteBuffer m) throws IOException {
            int n = m.remaining();
            window.take(n);
            wireBytes += n;
            try {
                channel.send(m).toCompletableFuture().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while sending");
            } catch (ExecutionException | CompletionException e) {
                throw new FileException("the session ended: " + e.getCause().getMessage(), e.getCause());
            }
        }

        @Override
        public void start(long from, long size) throws IOException {
            window.reset();
            wireBytes = 0;
            send(new FileWire.Out(FileWire.DATA_START).i64(from).i64(size).build());
        }

        @Override
        public void copy(long first, int count) throws IOException {
            send(new FileWire.Out(FileWire.DATA_COPY).i64(first).i32(count).build());
        }

        @Override
        public void literal(byte[] b, int off, int len) throws IOException {
            ByteBuffer m = ByteBuffer.allocate(1 + len);
            m.put((byte) FileWire.DATA_LITERAL).put(b, off, len).flip();
            send(m);
        }

        @Override
        public void zeros(long n) throws IOException {
            send(new FileWire.Out(FileWire.DATA_ZEROS).i64(n).build());
        }

        @Override
        public void end(End end) throws IOException {
            send(new FileWire.Out(FileWire.DATA_END).i64(end.size()).bytes(end.sha256()).i64(end.modified())
                    .i32(end.mode()).build());
        }
    }

    /**
     * Applies one data message (its type already read) to a receiver.
     *
     * @return true when it was the end of the file
     */
    static boolean apply(int type, FileWire.In in, FileData to) throws IOException {
        switch (type) {
            case FileWire.DATA_START -> {
                long from = nonNegative(in.i64());
                to.start(from, nonNegative(in.i64()));
            }
            case FileWire.DATA_COPY -> {
                long first = nonNegative(in.i64());
                int count = in.i32();
                if (count <= 0) {
                    throw new IllegalArgumentException("a copy of " + count + " blocks");
                }
                to.copy(first, count);
            }
            case FileWire.DATA_LITERAL -> {
                ByteBuffer rest = in.rest();
                if (rest.hasArray()) {
                    to.literal(rest.array(), rest.arrayOffset() + rest.position(), rest.remaining());
                } else {
                    byte[] b = new byte[rest.remaining()];
                    rest.get(b);
                    to.literal(b, 0, b.length);
                }
            }
            case FileWire.DATA_ZEROS -> to.zeros(nonNegative(in.i64()));
            case FileWire.DATA_END -> {
                long size = nonNegative(in.i64());
                byte[] sha = in.bytes(32);
                long modified = in.i64();
                int mode = in.i32();
                to.end(new FileData.End(size, sha, modified, mode));
                return true;
            }
            default -> throw new IllegalArgumentException("unexpected message " + type + " in a file's data");
        }
        return false;
    }

    private static long nonNegative(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("a negative length or position");
        }
        return v;
    }

    static boolean isData(int type) {
        return type >= FileWire.DATA_START && type <= FileWire.DATA_END;
    }
}
