package org.tandemrc.session.files.internal;

import java.util.SplittableRandom;

/**
 * Finds a basis block by its checksums, with open-addressing hash tables over primitive arrays, sized
 * to the number of blocks (a load factor between 1/4 and 1/2) and probed linearly.
 *
 * <ul>
 * <li>The distinct weak checksums, asked once per byte the source window rolls by. In front of them
 * is a bit filter 32 times the set's capacity: most windows match no block and are told so by one
 * bit, a branch the CPU predicts, whereas probing the half-empty set mispredicts about every other
 * time (without the filter, rolling ran at 60 MB/s instead of 270 here). Past the filter the set
 * answers exactly, as a false "maybe" would cost a strong hash of a whole block.
 * <li>The blocks by (weak, strong) pair, asked only when the weak checksum is known, with the
 * window's strong checksum. Blocks with equal checksums are kept once, the first: else a basis of
 * zeros would make one long probe chain.
 * </ul>
 *
 * The signature comes from the peer, which could choose checksums that all land in one slot of a
 * fixed hash function and so make building and probing quadratic. Slots are therefore chosen by
 * multiply-add-shift hashing with random coefficients, a strongly universal family: whatever the
 * keys, two distinct keys share a slot with probability 1/capacity.
 */
final class DeltaIndex {

    /** The filter's size bound, in bits: 16 MiB. */
    private static final int MAX_FILTER_BITS = 1 << 27;

    private final int[] weak;
    private final long[] strong;
    private final int shift;
    private final int mask;

    /** One bit per value of a weak checksum's hash, shifted by {@link #filterShift}. */
    private final long[] filter;
    private final int filterShift;
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
        int filterBits = (int) Math.min(MAX_FILTER_BITS, 32L * capacity);
        this.filterShift = 64 - Integer.numberOfTrailingZeros(filterBits);
        this.filter = new long[filterBits / Long.SIZE];
        this.weakSet = new int[capacity];
        this.blocks = new int[capacity];
        SplittableRandom random = new SplittableRandom();
        this.weakMul = random.nextLong();
        this.weakAdd = random.nextLong();
        this.highMul = random.nextLong();
        this.lowMul = random.nextLong();
        this.pairWeakMul = random.nextLong();
        this.pairAdd = random.nextLong();
        boolean zero = false;
        for (int b = 0; b < count; b++) {
            addWeak(weak[b]);
            zero |= weak[b] == 0;
            addBlock(b);
        }
        this.hasZeroWeak = zero;
    }

    /** Whether some indexed block has the weak checksum {@code w}. */
    boolean containsWeak(int w) {
        long h = weakHash(w);
        int bit = (int) (h >>> filterShift);
        if ((filter[bit >>> 6] & 1L << bit) == 0) {
            return false;
        }
        if (w == 0) {
            return hasZeroWeak;
        }
        for (int i = (int) (h >>> shift);; i = (i + 1) & mask) {
            int k = weakSet[i];
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
        long h = weakHash(w);
        int bit = (int) (h >>> filterShift);
        filter[bit >>> 6] |= 1L << bit;
        if (w == 0) {
            return;
        }
        int i = (int) (h >>> shift);
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

    /** Multiply-add: its top bits are the filter bit and the set slot. */
    private long weakHash(int w) {
        return weakMul * Integer.toUnsignedLong(w) + weakAdd;
    }

    /** Vector multiply-add-shift over the pair's three 32-bit parts. */
    private int pairSlot(int w, long s) {
        long h = highMul * (s >>> 32) + lowMul * (s & 0xFFFF_FFFFL) + pairWeakMul * Integer.toUnsignedLong(w) + pairAdd;
        return (int) (h >>> shift);
    }
}
