package org.tandemrc.session.files.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * An rsync-style delta engine, streaming and dependency-free.
 *
 * <p>The receiver, which holds an old version of a file (the <em>basis</em>), cuts it into blocks
 * and sends their {@link Signature}: per block a weak checksum that can be rolled one byte at a time
 * (Adler-32) and a strong one (the first 8 bytes of its SHA-256). The sender reads its new version
 * (the <em>source</em>) once, slides a block-sized window over it and, wherever the window's weak
 * checksum and then its strong checksum equal a basis block's, says "copy that block" instead of
 * sending the bytes ({@link #delta}). The receiver rebuilds the new version from those copies and
 * the literal bytes in between ({@link #patcher}).
 *
 * <p>Nothing here holds a whole file in memory: the signature is read sequentially, the source
 * through a buffer of about 1 MiB, and patching reads the basis a block range at a time. A block
 * that matched by chance (two distinct blocks with equal 32-bit weak and 64-bit strong sums) would
 * produce a wrong file; the protocol verifies every file's SHA-256 as a whole, which catches it.
 */
final class Delta {

    /** The smallest block size: below it the per-block costs (12 signature bytes, a hash call) dominate. */
    static final int MIN_BLOCK_SIZE = 2 * 1024;
    /** The largest block size (rsync's too). */
    static final int MAX_BLOCK_SIZE = 128 * 1024;
    /** The most blocks a signature may have: with the largest block size, a basis of 2 TiB. */
    static final int MAX_BLOCKS = 1 << 24;
    /** The largest literal chunk given to a {@link Sink}. */
    static final int MAX_LITERAL = 64 * 1024;
    /** How much is read (source) or copied (basis) at a time. */
    static final int IO_CHUNK = 1024 * 1024;

    private static final int HEADER_BYTES = Integer.BYTES + Long.BYTES;
    private static final int ENTRY_BYTES = Integer.BYTES + Long.BYTES;

    private Delta() {
    }

    /**
     * The block size for a basis of {@code basisLength} bytes: rsync's rule, the square root of the
     * length rounded down to a multiple of 8, which balances the signature's size (which grows with
     * the number of blocks) against the literal bytes an edit costs (about a block). It is kept
     * within [{@value #MIN_BLOCK_SIZE}, {@value #MAX_BLOCK_SIZE}]: rsync's minimum of 700 bytes suits
     * modem links, while 2 KiB keeps the signature at most 0.6% of the basis and a hash call's fixed
     * cost negligible. A 1 GiB basis gets 32 KiB blocks.
     */
    static int blockSize(long basisLength) {
        if (basisLength < 0) {
            throw new IllegalArgumentException("negative length " + basisLength);
        }
        long root = (long) Math.sqrt((double) basisLength) & ~7L;
        return (int) Math.max(MIN_BLOCK_SIZE, Math.min(MAX_BLOCK_SIZE, root));
    }

    /**
     * The number of blocks of a basis, after checking the shape: a block size within
     * [{@value #MIN_BLOCK_SIZE}, {@value #MAX_BLOCK_SIZE}], a length of at least 0 and at most
     * {@value #MAX_BLOCKS} blocks.
     *
     * @throws IllegalArgumentException if the shape is out of those bounds
     */
    static int blockCount(int blockSize, long length) {
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException("block size " + blockSize + " is outside [" + MIN_BLOCK_SIZE + ", "
                    + MAX_BLOCK_SIZE + "]");
        }
        if (length < 0) {
            throw new IllegalArgumentException("negative basis length " + length);
        }
        long blocks = length / blockSize + (length % blockSize == 0 ? 0 : 1);
        if (blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("a basis of " + length + " bytes has " + blocks + " blocks of "
                    + blockSize + " bytes; at most " + MAX_BLOCKS + " are allowed");
        }
        return (int) blocks;
    }

    /**
     * The basis file's block checksums. Block {@code i} covers bytes {@code [i * blockSize, min((i + 1)
     * * blockSize, length))}: all blocks are whole but the last, which may be short. The arrays are
     * shared, not copied: do not modify them.
     *
     * @param blockSize the block size, within [{@value #MIN_BLOCK_SIZE}, {@value #MAX_BLOCK_SIZE}]
     * @param length the basis's length in bytes
     * @param weak each block's Adler-32
     * @param strong each block's SHA-256, its first 8 bytes read big-endian
     */
    record Signature(int blockSize, long length, int[] weak, long[] strong) {

        /**
         * Checks the shape.
         *
         * @throws IllegalArgumentException if {@link Delta#blockCount} refuses the shape or an array's
         *         length is not the number of blocks
         */
        Signature {
            int blocks = blockCount(blockSize, length);
            if (weak.length != blocks || strong.length != blocks) {
                throw new IllegalArgumentException("a basis of " + length + " bytes in blocks of " + blockSize
                        + " bytes has " + blocks + " blocks, not " + weak.length + " weak and " + strong.length
                        + " strong checksums");
            }
        }

        /** The number of blocks. */
        int blocks() {
            return weak.length;
        }

        /**
         * The wire form, big-endian: the block size (4 bytes), the length (8 bytes), then per block its
         * weak (4 bytes) and strong (8 bytes) checksums.
         */
        byte[] encode() {
            ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + ENTRY_BYTES * blocks());
            out.putInt(blockSize).putLong(length);
            for (int i = 0; i < weak.length; i++) {
                out.putInt(weak[i]).putLong(strong[i]);
            }
            return out.array();
        }

        /**
         * Parses the {@link #encode wire form}, which must be all that remains in {@code in}; it is
         * consumed. The bytes come from the peer, so everything is checked, and before any allocation.
         *
         * @throws IllegalArgumentException if the bytes are truncated, the shape is out of bounds (see
         *         {@link Delta#blockCount}) or the number of entries is not the number of blocks
         */
        static Signature decode(ByteBuffer in) {
            if (in.remaining() < HEADER_BYTES) {
                throw new IllegalArgumentException("truncated signature: " + in.remaining() + " bytes, its header alone has "
                        + HEADER_BYTES);
            }
            int blockSize = in.getInt();
            long length = in.getLong();
            int blocks = blockCount(blockSize, length);
            long entryBytes = (long) blocks * ENTRY_BYTES;
            if (in.remaining() != entryBytes) {
                throw new IllegalArgumentException("a signature of " + length + " bytes in blocks of " + blockSize
                        + " bytes has " + blocks + " entries (" + entryBytes + " bytes), but " + in.remaining()
                        + " bytes follow its header");
            }
            int[] weak = new int[blocks];
            long[] strong = new long[blocks];
            for (int i = 0; i < blocks; i++) {
                weak[i] = in.getInt();
                strong[i] = in.getLong();
            }
            return new Signature(blockSize, length, weak, strong);
        }
    }

    /**
     * Computes a basis's signature, reading exactly {@code length} bytes of {@code basis} sequentially.
     * The stream is not closed.
     *
     * @throws IllegalArgumentException if {@link #blockCount} refuses the shape
     * @throws EOFException if the stream ends before {@code length} bytes
     */
    static Signature signature(InputStream basis, long length, int blockSize) throws IOException {
        int blocks = blockCount(blockSize, length);
        int[] weak = new int[blocks];
        long[] strong = new long[blocks];
        DeltaChecksums sums = new DeltaChecksums();
        byte[] buf = new byte[IO_CHUNK / blockSize * blockSize]; // whole blocks, as the block size is at most IO_CHUNK
        long done = 0;
        int block = 0;
        while (done < length) {
            int want = (int) Math.min(buf.length, length - done);
            int n = basis.readNBytes(buf, 0, want);
            if (n < want) {
                throw new EOFException("the basis ended after " + (done + n) + " of its " + length + " bytes");
            }
            for (int off = 0; off < n; off += blockSize, block++) {
                int len = Math.min(blockSize, n - off);
                weak[block] = sums.weak(buf, off, len);
                strong[block] = sums.strong(buf, off, len);
            }
            done += n;
        }
        return new Signature(blockSize, length, weak, strong);
    }

    /**
     * Computes a basis's signature as {@link #signature(InputStream, long, int)} does, in {@code threads}
     * parts at once, each a run of whole blocks read at its own positions: a large basis is summed at the
     * speed of as many cores. {@code basis} must allow reads from several threads at once (a
     * {@link java.nio.channels.FileChannel}'s positional reads do).
     *
     * @throws IllegalArgumentException if {@link #blockCount} refuses the shape or {@code threads} is below 1
     * @throws EOFException if the basis ends before {@code length} bytes
     */
    static Signature signature(BasisReader basis, long length, int blockSize, int threads) throws IOException {
        int blocks = blockCount(blockSize, length);
        if (threads < 1) {
            throw new IllegalArgumentException(threads + " threads");
        }
        int[] weak = new int[blocks];
        long[] strong = new long[blocks];
        int parts = (int) Math.max(1, Math.min(threads, (long) blocks * blockSize / IO_CHUNK));
        int per = (blocks + parts - 1) / parts;
        Thread[] helpers = new Thread[parts - 1];
        IOException[] failures = new IOException[parts];
        for (int p = 1; p < parts; p++) {
            int part = p;
            helpers[p - 1] = new Thread(() -> {
                try {
                    sign(basis, length, blockSize, part * per, Math.min(blocks, (part + 1) * per), weak, strong);
                } catch (IOException e) {
                    failures[part] = e;
                } catch (RuntimeException e) {
                    failures[part] = new IOException(e.toString(), e);
                }
            }, "tandem-files-signature");
            helpers[p - 1].setDaemon(true);
            helpers[p - 1].start();
        }
        try {
            sign(basis, length, blockSize, 0, Math.min(blocks, per), weak, strong);
        } catch (IOException e) {
            failures[0] = e;
        }
        boolean interrupted = false;
        for (Thread t : helpers) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the helpers stop at the basis reader's own checks
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (IOException e : failures) {
            if (e != null) {
                throw e;
            }
        }
        return new Signature(blockSize, length, weak, strong);
    }

    /** Sums blocks {@code [first, end)} of a basis into the arrays. */
    private static void sign(BasisReader basis, long length, int blockSize, int first, int end, int[] weak,
            long[] strong) throws IOException {
        DeltaChecksums sums = new DeltaChecksums();
        byte[] buf = new byte[IO_CHUNK / blockSize * blockSize];
        long position = (long) first * blockSize;
        long stop = Math.min((long) end * blockSize, length);
        int block = first;
        while (position < stop) {
            int want = (int) Math.min(buf.length, stop - position);
            int n = 0;
            while (n < want) {
                int r = basis.read(position + n, buf, n, want - n);
                if (r <= 0) {
                    throw new EOFException("the basis ended after " + (position + n) + " of its " + length + " bytes");
                }
                n += r;
            }
            for (int off = 0; off < n; off += blockSize, block++) {
                int len = Math.min(blockSize, n - off);
                weak[block] = sums.weak(buf, off, len);
                strong[block] = sums.strong(buf, off, len);
            }
            position += n;
        }
    }

    /** What a delta says, in order: how to build the source from the basis. */
    interface Sink {

        /**
         * Copy {@code count} whole blocks of the basis starting at block {@code first} (the basis's last
         * block may be short: copy its real length). Consecutive matching blocks come merged in one call.
         */
        void copy(long first, int count) throws IOException;

        /**
         * New bytes. The array may be reused once this returns. Literal runs come in chunks of at most
         * {@value Delta#MAX_LITERAL} bytes.
         */
        void literal(byte[] b, int off, int len) throws IOException;
    }

    /**
     * Reads {@code source} once, sequentially, to its end, and describes it to {@code sink} as copies
     * of the basis's blocks and literal bytes. The stream is not closed.
     *
     * <p>After a match, the block right after the matched one is tried first, so runs of unchanged
     * blocks cost one weak and one strong checksum each; elsewhere the window rolls byte by byte. The
     * basis's short last block is only found at the very end of the source, like rsync.
     *
     * @return the number of literal bytes
     */
    static long delta(InputStream source, Signature basis, Sink sink) throws IOException {
        return new DeltaEncoder(source, basis, sink).run();
    }

    /** Random reads of the basis while patching. */
    interface BasisReader {

        /**
         * Reads up to {@code len} bytes at {@code position} into {@code b} from {@code off}.
         *
         * @return the number of bytes read, at least 1 unless the basis ends before {@code position}
         *         (then any number below 1)
         */
        int read(long position, byte[] b, int off, int len) throws IOException;
    }

    /**
     * A sink that rebuilds the source: it writes literals to {@code out} and copies blocks from the
     * basis read through {@code basis}. It takes the basis's shape rather than its {@link Signature}
     * so the checksum arrays need not stay in memory while patching. The copies come from the peer:
     * each is checked against the shape. Nothing is flushed or closed.
     *
     * <p>{@link Sink#copy} throws {@link IllegalArgumentException} for a block range outside the
     * basis, and {@link EOFException} when the basis turns out shorter than {@code basisLength}.
     *
     * @throws IllegalArgumentException if {@link #blockCount} refuses the shape
     */
    static Sink patcher(int blockSize, long basisLength, BasisReader basis, OutputStream out) {
        return new DeltaPatcher(blockSize, basisLength, basis, out);
    }
}
