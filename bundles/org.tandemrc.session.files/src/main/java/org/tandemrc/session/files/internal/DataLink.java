package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.tandemrc.api.files.FileException;
import org.tandemrc.api.session.Channel;

/** A file's data over the session channel: {@link Sender} writes the messages, {@link #apply} reads them. */
final class DataLink {

    private DataLink() {
    }

    /** Messages of a file's data a sender has given the channel and not yet seen queued within its credit. */
    static final int IN_FLIGHT = 4;

    /** Turns a file's data into messages, within the flow-control window and the channel's credit. */
    static final class Sender implements FileData {
        private final Channel channel;
        private final Window window;
        private long wireBytes;
        private final ArrayDeque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        /** The last literal message, its buffer used again for the next. */
        private ByteBuffer literal;

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
            inFlight.add(channel.send(m).toCompletableFuture());
            // Several messages wait in the channel, so it always has the next one when credit returns; the
            // oldest is waited for only beyond that, which bounds what this side holds.
            while (!inFlight.isEmpty() && (inFlight.size() > IN_FLIGHT || inFlight.peek().isDone())) {
                await(inFlight.poll());
            }
        }

        private static void await(CompletableFuture<Void> f) throws IOException {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while sending");
            } catch (ExecutionException | CompletionException e) {
                throw new FileException("the session ended: " + e.getCause().getMessage(), e.getCause());
            }
        }

        /** Waits until every message sent is queued within the channel's credit. */
        private void drain() throws IOException {
            while (!inFlight.isEmpty()) {
                await(inFlight.poll());
            }
        }

        @Override
        public void start(long from, long size) throws IOException {
            window.reset();
            wireBytes = 0;
            send(FileWire.encode(new FileWire.Start(from, size)));
        }

        @Override
        public void copy(long first, int count) throws IOException {
            send(FileWire.encode(new FileWire.Copy(first, count)));
        }

        @Override
        public void literal(byte[] b, int off, int len) throws IOException {
            // One buffer for every literal: the channel has read it (sealed it, or copied what waits for
            // credit) by the time send returns.
            literal = FileWire.literal(literal, b, off, len);
            send(literal);
        }

        @Override
        public void zeros(long n) throws IOException {
            send(FileWire.encode(new FileWire.Zeros(n)));
        }

        @Override
        public void end(End end) throws IOException {
            send(FileWire.encode(new FileWire.End(end)));
            drain();
        }
    }

    /**
     * Applies one piece of a file's data to a receiver.
     *
     * @return true when it was the end of the file
     */
    static boolean apply(FileWire.Data data, FileData to) throws IOException {
        if (data instanceof FileWire.Start s) {
            to.start(nonNegative(s.from()), nonNegative(s.size()));
        } else if (data instanceof FileWire.Copy c) {
            if (c.count() <= 0) {
                throw new IllegalArgumentException("a copy of " + c.count() + " blocks");
            }
            to.copy(nonNegative(c.first()), c.count());
        } else if (data instanceof FileWire.Literal l) {
            ByteBuffer rest = l.bytes();
            if (rest.hasArray()) {
                to.literal(rest.array(), rest.arrayOffset() + rest.position(), rest.remaining());
            } else {
                byte[] b = new byte[rest.remaining()];
                rest.get(b);
                to.literal(b, 0, b.length);
            }
        } else if (data instanceof FileWire.Zeros z) {
            to.zeros(nonNegative(z.count()));
        } else if (data instanceof FileWire.End e) {
            FileData.End end = e.end();
            nonNegative(end.size());
            to.end(end);
            return true;
        }
        return false;
    }

    private static long nonNegative(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("a negative length or position");
        }
        return v;
    }
}
