package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * A file read to its end by a thread of its own, which hashes each chunk as it reads it (the whole
 * file's SHA-256, each byte hashed once, while it is in the cache), so the thread that sends the
 * data (and, on this side of the connection, encrypts it) never waits for the disk or the hash.
 * At most {@value #DEPTH} chunks of {@value #CHUNK} bytes wait to be taken: a slow link never
 * makes it read the whole file into memory. A file no larger than one chunk is read by the
 * caller, without a thread.
 */
final class ReadAhead extends InputStream {

    static final int CHUNK = 256 * 1024;
    static final int DEPTH = 4;

    /** A chunk of the file, or the end ({@code n < 0}) or a failure. */
    private record Chunk(byte[] bytes, int n, IOException failure) {
    }

    private final SeekableByteChannel channel;
    private final MessageDigest md;
    private final BooleanSupplier stopped;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH + 1);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread reader;
    private volatile boolean closed;

    /** The chunk being taken apart by {@link #read(byte[], int, int)}. */
    private Chunk current;
    private int taken;
    private boolean ended;

    /**
     * Starts reading {@code channel} from its current position, hashing into {@code md}.
     *
     * @param stopped true once the session ended: reading stops
     */
    ReadAhead(SeekableByteChannel channel, MessageDigest md, BooleanSupplier stopped, String name) throws IOException {
        this.channel = channel;
        this.md = md;
        this.stopped = stopped;
        if (channel.size() - channel.position() <= CHUNK) {
            this.reader = null; // one chunk: a thread would cost more than it saves
        } else {
            this.reader = new Thread(this::readAll, "tandem-files-read " + name);
            reader.setDaemon(true);
            reader.start();
        }
    }

    private void readAll() {
        try {
            while (true) {
                byte[] b = empty.poll();
                if (b == null) {
                    b = new byte[CHUNK];
                }
                int n = fill(b);
                if (n <= 0) {
                    full.put(new Chunk(null, -1, null));
                    return;
                }
                md.update(b, 0, n);
                full.put(new Chunk(b, n, null));
            }
        } catch (InterruptedException e) {
            // closed
        } catch (IOException | RuntimeException e) {
            IOException failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
            full.clear(); // the taker drops what it did not take anyway: room for the failure
            full.offer(new Chunk(null, -1, failure));
        }
    }

    /** Without a thread: the next chunk, read and hashed by the caller. */
    private Chunk readHere() throws IOException {
        byte[] b = empty.poll();
        if (b == null) {
            b = new byte[CHUNK];
        }
        int n = fill(b);
        if (n <= 0) {
            return new Chunk(null, -1, null);
        }
        md.update(b, 0, n);
        return new Chunk(b, n, null);
    }

    /** Reads a whole chunk unless the file ends first; 0 or less at its end. */
    private int fill(byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            if (closed || stopped.getAsBoolean()) {
                throw new InterruptedIOException("the session ended");
            }
            if (channel.read(buf) < 0) {
                break;
            }
        }
        return buf.position();
    }

    /**
     * The next chunk's bytes, valid until the next call; null at the end of the file.
     *
     * @return the chunk; its length is {@link #length()}
     */
    byte[] next() throws IOException {
        if (current != null && current.bytes() != null) {
            empty.offer(current.bytes());
        }
        current = null;
        if (ended) {
            return null;
        }
        Chunk c;
        try {
            c = reader != null ? full.take() : readHere();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
        if (c.failure() != null) {
            ended = true;
            throw c.failure();
        }
        if (c.n() < 0) {
            ended = true;
            return null;
        }
        current = c;
        taken = 0;
        return c.bytes();
    }

    /** The length of the chunk {@link #next()} returned. */
    int length() {
        return current == null ? 0 : current.n();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || taken == current.n()) {
            if (next() == null) {
                return -1;
            }
        }
        int n = Math.min(len, current.n() - taken);
        System.arraycopy(current.bytes(), taken, b, off, n);
        taken += n;
        return n;
    }

    /**
     * The SHA-256 of everything read, once the end was reached: the reader is done with the digest.
     *
     * @throws IllegalStateException before the end
     */
    byte[] digest() {
        if (!ended) {
            throw new IllegalStateException("the file was not read to its end");
        }
        return md.digest();
    }

    /** Stops the reader and waits for it: it no longer touches the channel. */
    @Override
    public void close() throws IOException {
        closed = true;
        if (reader == null) {
            return;
        }
        reader.interrupt();
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while closing a file");
        }
    }
}
