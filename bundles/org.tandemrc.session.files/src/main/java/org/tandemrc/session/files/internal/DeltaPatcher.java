package org.tandemrc.session.files.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** {@link Delta#patcher}: rebuilds a file from a delta, checking each copy against the basis's shape. */
final class DeltaPatcher implements Delta.Sink {

    private final int blockSize;
    private final long basisLength;
    private final int blocks;
    private final Delta.BasisReader basis;
    private final OutputStream out;
    /** Allocated by the first copy: a delta may have none. */
    private byte[] buf;

    DeltaPatcher(int blockSize, long basisLength, Delta.BasisReader basis, OutputStream out) {
        this.blocks = Delta.blockCount(blockSize, basisLength);
        this.blockSize = blockSize;
        this.basisLength = basisLength;
        this.basis = Objects.requireNonNull(basis, "basis");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Copies the blocks' bytes from the basis to the output.
     *
     * @throws IllegalArgumentException if {@code count} is not positive or the blocks are not all
     *         within the basis
     * @throws EOFException if the basis ends before its announced length
     */
    @Override
    public void copy(long first, int count) throws IOException {
        if (count <= 0 || first < 0 || first > blocks - count) {
            throw new IllegalArgumentException("a copy of " + count + " blocks from block " + first
                    + " is not within the basis's " + blocks + " blocks");
        }
        if (buf == null) {
            buf = new byte[(int) Math.min(Delta.IO_CHUNK, basisLength)];
        }
        long from = first * blockSize;
        long to = Math.min((first + count) * blockSize, basisLength);
        while (from < to) {
            int n = basis.read(from, buf, 0, (int) Math.min(buf.length, to - from));
            if (n <= 0) {
                throw new EOFException("the basis ended at byte " + from + " of its " + basisLength);
            }
            out.write(buf, 0, n);
            from += n;
        }
    }

    @Override
    public void literal(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }
}
