package org.tandemrc.session.remotecontrol.internal;

import java.nio.ByteBuffer;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * The session's one zstd stream of tile data, flushed at the end of every frame: what earlier frames
 * held (the same glyphs, the same colours) compresses later ones, and each frame still decodes as soon
 * as it arrives. zstd rather than zlib because at level 3 it packs tile data tighter than zlib's level 6
 * at a ninth of the time (scripts/benchmark-encoding.sh prints the figures).
 */
final class FrameStream {

    private FrameStream() {
    }

    /** zstd's default level: its window (2 MiB) holds a whole 1920x1080 screen of tile data. */
    static final int LEVEL = 3;

    /** The Host's end. Not thread-safe: one per streaming session. */
    static final class Writer implements AutoCloseable {
        private final ZstdCompressCtx ctx = new ZstdCompressCtx();
        private ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
        private ByteBuffer out = ByteBuffer.allocateDirect(64 * 1024);

        Writer() {
            ctx.setLevel(LEVEL);
        }

        /** Compresses {@code length} bytes and flushes, so that the result decodes on its own arrival. */
        byte[] compress(byte[] data, int length) {
            if (in.capacity() < length) {
                in = ByteBuffer.allocateDirect(Math.max(length, in.capacity() * 2));
            }
            in.clear();
            in.put(data, 0, length).flip();
            // zstd's bound for one block plus the flush: enough output room in one call, mostly.
            int bound = length + (length >>> 7) + 1024;
            if (out.capacity() < bound) {
                out = ByteBuffer.allocateDirect(Math.max(bound, out.capacity() * 2));
            }
            byte[] result = new byte[0];
            int total = 0;
            boolean done;
            do {
                out.clear();
                done = ctx.compressDirectByteBufferStream(out, in, EndDirective.FLUSH);
                out.flip();
                int n = out.remaining();
                if (result.length < total + n) {
                    result = java.util.Arrays.copyOf(result, total + n);
                }
                out.get(result, total, n);
                total += n;
            } while (!done || in.hasRemaining());
            return result.length == total ? result : java.util.Arrays.copyOf(result, total);
        }

        @Override
        public void close() {
            ctx.close();
        }
    }

    /**
     * The Guest's end: one per viewer. Closing it while a frame decodes (the view ended from another
     * thread) waits for that frame; a frame after the close is refused.
     */
    static final class Reader implements AutoCloseable {
        private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();
        private ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        private ByteBuffer out = ByteBuffer.allocateDirect(256 * 1024);
        private boolean closed;

        /**
         * Decompresses the {@code compressed} bytes of one frame, which must give exactly {@code length}
         * bytes.
         *
         * @throws IllegalArgumentException when they do not, or the stream is corrupt
         */
        synchronized byte[] decompress(ByteBuffer compressed, int length) {
            if (closed) {
                throw new IllegalStateException("the view is closed");
            }
            if (in.capacity() < compressed.remaining()) {
                in = ByteBuffer.allocateDirect(Math.max(compressed.remaining(), in.capacity() * 2));
            }
            in.clear();
            in.put(compressed).flip();
            // One byte more than expected: a frame that decodes longer than it says is malformed.
            if (out.capacity() < length + 1) {
                out = ByteBuffer.allocateDirect(Math.max(length + 1, out.capacity() * 2));
            }
            out.clear().limit(length + 1);
            try {
                while (in.hasRemaining() && out.hasRemaining()) {
                    int before = in.remaining() + out.remaining();
                    ctx.decompressDirectByteBufferStream(out, in);
                    if (in.remaining() + out.remaining() == before) {
                        break; // no progress: the rest needs input that is not there
                    }
                }
                // Whatever the decoder still buffers from this frame's input.
                if (out.hasRemaining()) {
                    ctx.decompressDirectByteBufferStream(out, in);
                }
            } catch (ZstdException e) {
                throw new IllegalArgumentException("frame data is corrupt: " + e.getMessage());
            }
            out.flip();
            if (out.remaining() != length || in.hasRemaining()) {
                throw new IllegalArgumentException("frame data gives " + out.remaining() + " bytes, not " + length);
            }
            byte[] result = new byte[length];
            out.get(result);
            return result;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                ctx.close();
            }
        }
    }
}
