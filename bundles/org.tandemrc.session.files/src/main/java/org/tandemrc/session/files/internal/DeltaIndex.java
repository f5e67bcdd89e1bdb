package org.tandemrc.session.files.internal;

import java.util.SplittableRandom;

/**
 * Finds a basis block by its checksums: two open-addressing hash tables over int arrays, sized to the
 * number of blocks (a load factor between 1/4 and 1/2) and probed linearly.
 *
 * <ul>
 * <li>The set of distinct weak checksums, asked once per byte the source window rolls by: it must be
 * exact, as a false "maybe" costs a strong hash of a whole block.
 * <li>The blocks by (weak, strong) pair, asked only when the weak checksum is known, with the
 * window's strong checksum. Blocks with equal checksums are kept once, the first, so a basis full of
 * identical blocks (zeros) costs nothing more.
 * </ul>
 *
 * The signature comes from the peer, which could choose checksums that all land in one slot of a
 * fixed hash function and so make building and probing quadratic. Slots are therefore chosen by
 * multiply-add-shift hashing with random coefficients, a strongly universal family: whatever the
 * keys, two distinct keys share a slot with probability 1/capacity.
 */
final class DeltaIndex {

    private final int[] weak;
    private final long[] strong;
    private final int shift;
    private final int mask;

    /** Distinct weak checksums other than 0 (which marks an empty slot). */
    private final int[] weakSet;
    private final boolean hasZeroWeak;
    private final long weakMul;
    private final long weakAdd;

    /** Block index + 1 (0 marks an empty slot). */
    private final int[] blocks;
    private final long highMul;
    private final long lowMul;
    private final long pairWeakMul;
    private final long pairAdd;

    /**
     * Indexes the first {@code count} blocks of {@code basis}.
     *
     * @param count how many blocks to index: the whole ones (a short last block is matched elsewhere)
     */
    DeltaIndex(Delta.Signature basis, int count) {
        this.weak = basis.weak();
        this.strong = basis.strong();
        int capacity = Integer.highestOneBit(Math.max(count, 8) * 2 - 1) * 2;
        this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
        this.mask = capacity - 1;
        SplittableRandom random = new SplittableRandom();
        this.weakMul = random.nextLong();
        this.weakAdd = random.nextLong();
        this.highMul = random.nextLong();
        this.lowMul = random.nextLong();
        this.pairWeakMul = random.nextLong();
        this.pairAdd = random.nextLong();
        this.weakSet = new int[capacity];
        this.blocks = new int[capacity];
        boolean zero = false;
        for (int b = 0; b < count; b++) {
            int w = weak[b];
            if (w == 0) {
                zero = true;
            } else {
                addWeak(w);
            }
            addBlock(b);
        }
        this.hasZeroWeak = zero;
    }

    /** Whether some indexed block has the weak checksum {@code w}. */
    boolean containsWeak(int w) {
        if (w == 0) {
            return hasZeroWeak;
        }
        int[] set = weakSet;
        for (int i = weakSlot(w);; i = (i + 1) & mask) {
            int k = set[i];
            if (k == w) {
                return true;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    /** The first indexed block with checksums {@code w} and {@code s}, or -1. */
    int find(int w, long s) {
        for (int i = pairSlot(w, s);; i = (i + 1) & mask) {
            int k = blocks[i];
            if (k == 0) {
                return -1;
            }
            int b = k - 1;
            if (weak[b] == w && strong[b] == s) {
                return b;
            }
        }
    }

    private void addWeak(int w) {
        int i = weakSlot(w);
        while (weakSet[i] != 0 && weakSet[i] != w) {
            i = (i + 1) & mask;
        }
        weakSet[i] = w;
    }

    private void addBlock(int b) {
        if (find(weak[b], strong[b]) >= 0) {
            return;
        }
        int i = pairSlot(weak[b], strong[b]);
        while (blocks[i] != 0) {
            i = (i + 1) & mask;
        }
        blocks[i] = b + 1;
    }

    private int weakSlot(int w) {
        return (int) ((weakMul * Integer.toUnsignedLong(w) + weakAdd) >>> shift);
    }

    /** Vector multiply-shift over the pair's three 32-bit parts. */
    private int pairSlot(int w, long s) {
        long h = highMul * (s >>> 32) + lowMul * (s & 0xFFFF_FFFFL) + pairWeakMul * Integer.toUnsignedLong(w) + pairAdd;
        return (int) (h >>> shift);
    }
}
