package org.tandemrc.session.files.internal;

import static org.tandemrc.session.files.internal.Delta.IO_CHUNK;
import static org.tandemrc.session.files.internal.Delta.MAX_LITERAL;
import static org.tandemrc.session.files.internal.DeltaChecksums.MOD;

import java.io.IOException;
import java.io.InputStream;

/**
 * One run of {@link Delta#delta}: slides a block-sized window over the source and reports, in order,
 * the basis blocks it matches and the literal bytes between them.
 *
 * <p>The source is read into {@link #buf} {@value Delta#IO_CHUNK} bytes at a time. The buffer holds
 * {@code [literalStart, end)}: the literal bytes not yet given to the sink, which are fewer than
 * {@value Delta#MAX_LITERAL} (a full chunk is given at once), then the window at {@code pos} and what
 * was read after it. Refilling moves those to the front, so the buffer needs room for them plus a read.
 *
 * <p>A window that follows a match (or starts the source) is checked from scratch, first against the
 * block after the last match. If it does not match, the window rolls one byte at a time, its Adler-32
 * updated in O(1), until its weak checksum is a basis block's and its strong one confirms it.
 */
final class DeltaEncoder {

    private final InputStream source;
    private final Delta.Sink sink;
    private final int blockSize;
    /** The basis's whole blocks, the ones the window can match. */
    private final int wholeBlocks;
    /** The length of the basis's short last block, 0 if it has none. */
    private final int lastLength;
    private final int[] weak;
    private final long[] strong;
    private final DeltaIndex index;
    private final DeltaChecksums sums = new DeltaChecksums();
    /** {@code (blockSize * v + 1) mod MOD} for each byte value v: what s2 loses when v leaves the window. */
    private final int[] leaving = new int[256];

    private final byte[] buf;
    private int end;
    private boolean eof;
    private int literalStart;
    /** The window's start; it ends a block later. */
    private int pos;
    /** Whether the window at {@link #pos} was looked up and did not match; then s1 and s2 are its Adler-32. */
    private boolean rolling;
    private int s1;
    private int s2;

    /** The block that would extend the current run of copies. */
    private int next;
    /** The run of copied blocks not yet given to the sink. */
    private int runFirst;
    private int runCount;
    private long literalBytes;

    DeltaEncoder(InputStream source, Delta.Signature basis, Delta.Sink sink) {
        this.source = source;
        this.sink = sink;
        this.blockSize = basis.blockSize();
        this.wholeBlocks = (int) (basis.length() / blockSize);
        this.lastLength = (int) (basis.length() % blockSize);
        this.weak = basis.weak();
        this.strong = basis.strong();
        this.index = new DeltaIndex(basis, wholeBlocks);
        for (int v = 0; v < leaving.length; v++) {
            leaving[v] = (int) (((long) blockSize * v + 1) % MOD);
        }
        this.buf = new byte[IO_CHUNK + MAX_LITERAL + blockSize];
    }

    /** Reads the whole source and describes it to the sink; returns the number of literal bytes. */
    long run() throws IOException {
        while (true) {
            // A new window needs a whole block; rolling needs the byte after the window too.
            if (end - pos < blockSize + (rolling ? 1 : 0)) {
                if (fill()) {
                    continue;
                }
                break;
            }
            if (!rolling) {
                if (matchWindow()) {
                    continue;
                }
                rolling = true;
            }
            roll();
            if (pos - literalStart >= MAX_LITERAL) {
                emitLiteral(pos);
            }
        }
        matchTail();
        emitLiteral(end);
        emitRun();
        return literalBytes;
    }

    /** Moves the unsent bytes to the front of the buffer and reads after them; false at the source's end. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        System.arraycopy(buf, literalStart, buf, 0, end - literalStart);
        end -= literalStart;
        pos -= literalStart;
        literalStart = 0;
        int n = source.readNBytes(buf, end, buf.length - end);
        end += n;
        eof = end < buf.length;
        return n > 0;
    }

    /**
     * Checks the new window at {@link #pos}: first whether it is the block after the last match, then
     * any block. Leaves its Adler-32 in s1 and s2 for rolling.
     *
     * @return whether it matched (and was copied)
     */
    private boolean matchWindow() throws IOException {
        int w = sums.weak(buf, pos, blockSize);
        s1 = w & 0xFFFF;
        s2 = w >>> 16;
        if (next < wholeBlocks && weak[next] == w) {
            long s = sums.strong(buf, pos, blockSize);
            if (s == strong[next]) {
                copy(next, blockSize);
                return true;
            }
            return lookup(w, s);
        }
        return index.containsWeak(w) && lookup(w, sums.strong(buf, pos, blockSize));
    }

    /**
     * Rolls the window forward a byte at a time, looking each position up, until a match, the end of
     * the buffered bytes or a full literal chunk. With no whole block in the basis, nothing can match:
     * the window skips to the limit at once (its checksum, never used again, goes stale).
     */
    private void roll() throws IOException {
        int limit = Math.min(end - blockSize, literalStart + MAX_LITERAL);
        if (wholeBlocks == 0) {
            pos = limit;
            return;
        }
        byte[] b = buf;
        int n = blockSize;
        int[] out = leaving;
        DeltaIndex table = index;
        int a = s1;
        int c = s2;
        int p = pos;
        while (p < limit) {
            // Byte x = b[p] leaves, y = b[p + n] enters: s1 += y - x, s2 += s1' - (n * x + 1), mod MOD. Each
            // sum is within (-MOD, 2 * MOD) before reduction; the conditionals compile to conditional moves.
            int x = b[p] & 0xFF;
            a += (b[p + n] & 0xFF) - x;
            a = a < 0 ? a + MOD : a;
            a = a >= MOD ? a - MOD : a;
            c += a - out[x];
            c = c < 0 ? c + MOD : c;
            c = c >= MOD ? c - MOD : c;
            p++;
            int w = c << 16 | a;
            if (table.containsWeak(w)) {
                pos = p;
                if (lookup(w, sums.strong(b, p, n))) {
                    return;
                }
            }
        }
        pos = p;
        s1 = a;
        s2 = c;
    }

    /** Copies the block with checksums {@code w} and {@code s}, if there is one, at {@link #pos}. */
    private boolean lookup(int w, long s) throws IOException {
        int block = index.find(w, s);
        if (block < 0) {
            return false;
        }
        copy(block, blockSize);
        return true;
    }

    /**
     * At the source's end, with less than a whole block after {@link #pos}: the basis's short last
     * block may still be the source's last bytes.
     */
    private void matchTail() throws IOException {
        int at = end - lastLength;
        if (lastLength > 0 && at >= pos && sums.weak(buf, at, lastLength) == weak[wholeBlocks]
                && sums.strong(buf, at, lastLength) == strong[wholeBlocks]) {
            pos = at;
            copy(wholeBlocks, lastLength);
        }
    }

    /** Reports the literal bytes before {@link #pos}, then {@code block}, found there; moves past it. */
    private void copy(int block, int length) throws IOException {
        emitLiteral(pos);
        if (runCount > 0 && block == runFirst + runCount) {
            runCount++;
        } else {
            emitRun();
            runFirst = block;
            runCount = 1;
        }
        pos += length;
        literalStart = pos;
        next = block + 1;
        rolling = false;
    }

    /** Gives the sink the literal bytes before {@code upTo}, in chunks, after the pending run of copies. */
    private void emitLiteral(int upTo) throws IOException {
        if (literalStart == upTo) {
            return;
        }
        emitRun();
        while (literalStart < upTo) {
            int n = Math.min(MAX_LITERAL, upTo - literalStart);
            sink.literal(buf, literalStart, n);
            literalBytes += n;
            literalStart += n;
        }
    }

    private void emitRun() throws IOException {
        if (runCount > 0) {
            sink.copy(runFirst, runCount);
            runCount = 0;
        }
    }
}
