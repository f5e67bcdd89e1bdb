package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Adler32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deltas and their round trips through the patcher; a timeout turns a looping encoder into a failure. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeltaTest {

    private static final int BS = Delta.MIN_BLOCK_SIZE;

    /** One operation of a delta; a literal's bytes are copied, as the sink's array is reused. */
    private record Op(long first, int count, byte[] bytes) {

        static Op copy(long first, int count) {
            return new Op(first, count, null);
        }

        @Override
        public String toString() {
            return bytes == null ? "copy(" + first + ", " + count + ")" : "literal(" + bytes.length + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Op op && first == op.first && count == op.count && Arrays.equals(bytes, op.bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(first) * 31 + count;
        }
    }

    /** A delta's result: its operations and the literal byte count it returned. */
    private record Result(List<Op> ops, long literalBytes) {

        long copiedBlocks() {
            return ops.stream().filter(op -> op.bytes == null).mapToLong(Op::count).sum();
        }
    }

    private static final class Recorder implements Delta.Sink {
        final List<Op> ops = new ArrayList<>();

        @Override
        public void copy(long first, int count) {
            ops.add(Op.copy(first, count));
        }

        @Override
        public void literal(byte[] b, int off, int len) {
            ops.add(new Op(0, 0, Arrays.copyOfRange(b, off, off + len)));
            Arrays.fill(b, off, off + len, (byte) 0x5A); // the sink may reuse it: the delta must not care
        }
    }

    /** A stream giving at most a few bytes per read, to exercise partial reads. */
    private static final class Trickle extends InputStream {
        private final byte[] data;
        private final Random random;
        private int pos;

        Trickle(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(70_000));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static Delta.Signature signature(byte[] basis, int blockSize) throws IOException {
        return Delta.signature(new ByteArrayInputStream(basis), basis.length, blockSize);
    }

    private static Delta.BasisReader reader(byte[] basis) {
        return (position, b, off, len) -> {
            if (position >= basis.length) {
                return -1;
            }
            int n = (int) Math.min(len, basis.length - position);
            System.arraycopy(basis, (int) position, b, off, n);
            return n;
        };
    }

    /**
     * Computes the delta of {@code source} against {@code basis}, checks its form (literal chunks,
     * merged copies, the returned count) and that patching it rebuilds the source.
     */
    private static Result roundTrip(byte[] basis, byte[] source, int blockSize, InputStream in) throws IOException {
        Delta.Signature sig = signature(basis, blockSize);
        Recorder recorder = new Recorder();
        long literalBytes = Delta.delta(in, sig, recorder);

        long literalSum = 0;
        Op previous = null;
        for (Op op : recorder.ops) {
            if (op.bytes != null) {
                assertTrue(op.bytes.length > 0 && op.bytes.length <= Delta.MAX_LITERAL, "literal chunk " + op);
                literalSum += op.bytes.length;
            } else {
                assertTrue(op.count > 0, "empty copy");
                if (previous != null && previous.bytes == null) {
                    assertTrue(op.first != previous.first + previous.count, "unmerged copies " + previous + ", " + op);
                }
            }
            previous = op;
        }
        assertEquals(literalSum, literalBytes);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Delta.Sink patcher = Delta.patcher(sig.blockSize(), sig.length(), reader(basis), out);
        for (Op op : recorder.ops) {
            if (op.bytes != null) {
                patcher.literal(op.bytes, 0, op.bytes.length);
            } else {
                patcher.copy(op.first, op.count);
            }
        }
        assertArrayEquals(source, out.toByteArray());
        return new Result(recorder.ops, literalBytes);
    }

    private static Result roundTrip(byte[] basis, byte[] source, int blockSize) throws IOException {
        return roundTrip(basis, source, blockSize, new ByteArrayInputStream(source));
    }

    private static Result roundTrip(byte[] basis, byte[] source) throws IOException {
        return roundTrip(basis, source, BS);
    }

    @Test
    void blockSizeIsTheSquareRootRoundedDownToEightWithinBounds() {
        assertEquals(Delta.MIN_BLOCK_SIZE, Delta.blockSize(0));
        assertEquals(Delta.MIN_BLOCK_SIZE, Delta.blockSize(4L << 20));
        assertEquals(3160, Delta.blockSize(10_000_000)); // sqrt = 3162.3
        assertEquals(32 * 1024, Delta.blockSize(1L << 30));
        assertEquals(Delta.MAX_BLOCK_SIZE, Delta.blockSize(1L << 34));
        assertEquals(Delta.MAX_BLOCK_SIZE, Delta.blockSize(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> Delta.blockSize(-1));
    }

    @Test
    void signatureHasAdlerAndShaOfEachBlockIncludingTheShortLast() throws IOException {
        byte[] basis = random(3 * BS + 100, 1);
        Delta.Signature sig = signature(basis, BS);
        assertEquals(4, sig.blocks());
        Adler32 adler = new Adler32();
        adler.update(basis, 3 * BS, 100);
        assertEquals((int) adler.getValue(), sig.weak()[3]);
        assertEquals(4, Arrays.stream(sig.strong()).distinct().count());
        assertEquals(0, signature(new byte[0], BS).blocks());
    }

    /** Positional reads of an array, as a file channel's: from several threads at once. */
    private static Delta.BasisReader positional(byte[] b, int at) {
        return (position, buf, off, len) -> {
            if (position >= Math.min(b.length, at)) {
                return -1;
            }
            int n = (int) Math.min(len, Math.min(b.length, at) - position);
            System.arraycopy(b, (int) position, buf, off, n);
            return n;
        };
    }

    @Test
    void aSignatureSummedInPartsIsTheSequentialOne() throws IOException {
        for (int length : new int[] {0, 100, 3 * Delta.IO_CHUNK + 700, 7 * Delta.IO_CHUNK}) {
            byte[] basis = random(length, 21);
            int bs = 8 * 1024;
            Delta.Signature one = Delta.signature(new ByteArrayInputStream(basis), length, bs);
            for (int threads : new int[] {1, 2, 3, 8}) {
                Delta.Signature parts = Delta.signature(positional(basis, length), length, bs, threads);
                assertArrayEquals(one.weak(), parts.weak(), length + " bytes on " + threads + " threads");
                assertArrayEquals(one.strong(), parts.strong(), length + " bytes on " + threads + " threads");
            }
        }
    }

    @Test
    void aSignatureInPartsOfATruncatedBasisFails() {
        byte[] basis = random(4 * Delta.IO_CHUNK, 22);
        // The basis ends in the last part's range, then in the first's.
        assertThrows(EOFException.class, () -> Delta.signature(positional(basis, basis.length - 10), basis.length,
                BS, 4));
        assertThrows(EOFException.class, () -> Delta.signature(positional(basis, 10), basis.length, BS, 4));
        assertThrows(IllegalArgumentException.class, () -> Delta.signature(positional(basis, basis.length),
                basis.length, BS, 0));
    }

    @Test
    void signatureOfATruncatedStreamFails() {
        assertThrows(EOFException.class, () -> Delta.signature(new ByteArrayInputStream(new byte[5000]), 5001, BS));
    }

    @Test
    void identicalFilesAreOneCopy() throws IOException {
        for (int length : new int[] {10 * BS, 10 * BS + 1, 700 * BS - 1, 1000}) {
            byte[] data = random(length, length);
            Result r = roundTrip(data, data);
            int blocks = (length + BS - 1) / BS;
            assertEquals(List.of(Op.copy(0, blocks)), r.ops, "length " + length);
            assertEquals(0, r.literalBytes);
        }
    }

    @Test
    void identicalFilesOfRepeatedBlocksAreOneCopy() throws IOException {
        byte[] zeros = new byte[100 * BS + 5];
        assertEquals(List.of(Op.copy(0, 101)), roundTrip(zeros, zeros).ops);
    }

    @Test
    void insertionAtTheStartShiftsEveryBlock() throws IOException {
        byte[] basis = random(50 * BS, 2);
        byte[] inserted = random(333, 3);
        Result r = roundTrip(basis, concat(inserted, basis));
        assertEquals(List.of(new Op(0, 0, inserted), Op.copy(0, 50)), r.ops);
    }

    @Test
    void insertionInTheMiddleCostsAboutOneBlock() throws IOException {
        byte[] basis = random(50 * BS + 77, 4);
        byte[] inserted = random(1000, 5);
        int at = 20 * BS + 500;
        byte[] source = concat(Arrays.copyOf(basis, at), inserted, Arrays.copyOfRange(basis, at, basis.length));
        Result r = roundTrip(basis, source);
        assertEquals(BS + inserted.length, r.literalBytes);
        assertEquals(List.of(Op.copy(0, 20)), r.ops.subList(0, 1));
        assertEquals(List.of(Op.copy(21, 30)), r.ops.subList(r.ops.size() - 1, r.ops.size()));
    }

    @Test
    void insertionAtTheEndIsOneLiteral() throws IOException {
        byte[] basis = random(30 * BS, 6);
        byte[] appended = random(5000, 7);
        Result r = roundTrip(basis, concat(basis, appended));
        assertEquals(List.of(Op.copy(0, 30), new Op(0, 0, appended)), r.ops);
    }

    @Test
    void deletionCostsAtMostABlock() throws IOException {
        byte[] basis = random(40 * BS + 900, 8);
        int from = 10 * BS + 100;
        int to = 13 * BS + 50;
        byte[] source = concat(Arrays.copyOf(basis, from), Arrays.copyOfRange(basis, to, basis.length));
        Result r = roundTrip(basis, source);
        assertEquals(100 + BS - 50, r.literalBytes);
        assertEquals(Op.copy(0, 10), r.ops.get(0));
        assertEquals(Op.copy(14, 27), r.ops.get(r.ops.size() - 1));
    }

    @Test
    void emptyBasisMakesEverythingLiteral() throws IOException {
        for (int length : new int[] {300_000, Delta.MAX_LITERAL + 1000}) {
            byte[] source = random(length, length);
            Result r = roundTrip(new byte[0], source);
            assertEquals(source.length, r.literalBytes);
            assertEquals(0, r.copiedBlocks());
            assertEquals((source.length + Delta.MAX_LITERAL - 1) / Delta.MAX_LITERAL, r.ops.size());
        }
    }

    @Test
    void emptySourceIsAnEmptyDelta() throws IOException {
        Result r = roundTrip(random(10 * BS, 10), new byte[0]);
        assertEquals(List.of(), r.ops);
        assertEquals(0, r.literalBytes);
    }

    @Test
    void sourceShorterThanABlock() throws IOException {
        byte[] basis = random(10 * BS, 11);
        byte[] source = Arrays.copyOf(basis, 1000);
        assertEquals(List.of(new Op(0, 0, source)), roundTrip(basis, source).ops);
        // A basis shorter than a block is one short block, matched by a source equal to it.
        assertEquals(List.of(Op.copy(0, 1)), roundTrip(source, source).ops);
    }

    @Test
    void shortLastBlockIsReusedAtTheEnd() throws IOException {
        byte[] basis = random(10 * BS + 700, 12);
        byte[] source = basis.clone();
        source[3 * BS + 5] ^= 1;
        assertEquals(List.of(Op.copy(0, 3), new Op(0, 0, Arrays.copyOfRange(source, 3 * BS, 4 * BS)), Op.copy(4, 7)),
                roundTrip(basis, source).ops);
        // After unmatched bytes too.
        byte[] tail = Arrays.copyOfRange(basis, 10 * BS, basis.length);
        byte[] prefix = random(3 * BS + 1, 13);
        assertEquals(List.of(new Op(0, 0, prefix), Op.copy(10, 1)), roundTrip(basis, concat(prefix, tail)).ops);
    }

    @Test
    void longLiteralRunsComeInChunks() throws IOException {
        byte[] basis = random(20 * BS, 14);
        byte[] source = concat(Arrays.copyOf(basis, 5 * BS), random(200_000, 15), Arrays.copyOfRange(basis, 5 * BS, basis.length));
        Result r = roundTrip(basis, source);
        assertEquals(200_000, r.literalBytes);
        assertEquals(Op.copy(0, 5), r.ops.get(0));
        assertEquals(Op.copy(5, 15), r.ops.get(r.ops.size() - 1));
        assertEquals(2 + 4, r.ops.size()); // 200,000 bytes in 64 KiB chunks
    }

    @Test
    void largeSourcesCrossTheReadBuffer() throws IOException {
        byte[] basis = random(5 * Delta.IO_CHUNK + 12_345, 16);
        byte[] source = basis.clone();
        for (int i = 0; i < 40; i++) {
            source[i * 131_071 + 17] ^= 0x40;
        }
        Result r = roundTrip(basis, source, 4096, new Trickle(source, 17));
        assertTrue(r.literalBytes <= 40 * 4096, "literal " + r.literalBytes);
    }

    @Test
    void lowEntropyDataRoundTrips() throws IOException {
        byte[] basis = new byte[60 * BS];
        Arrays.fill(basis, 20 * BS, 30 * BS, (byte) ' ');
        for (int i = 40 * BS; i < basis.length; i++) {
            basis[i] = (byte) (i % 7);
        }
        byte[] source = concat(new byte[777], basis, new byte[BS * 3 / 2]);
        Arrays.fill(source, 5000, 9000, (byte) 4);
        Result r = roundTrip(basis, source);
        assertTrue(r.literalBytes < 4 * BS, "literal " + r.literalBytes);
    }

    @Test
    void randomEditsRoundTrip() throws IOException {
        for (long seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            int blockSize = Delta.MIN_BLOCK_SIZE + 8 * random.nextInt(4);
            byte[] basis = randomContent(random, random.nextInt(60 * blockSize));
            byte[] source = edit(random, basis);
            InputStream in = random.nextBoolean() ? new ByteArrayInputStream(source) : new Trickle(source, seed);
            Result r = roundTrip(basis, source, blockSize, in);
            assertTrue(r.literalBytes <= source.length, "seed " + seed);
        }
    }

    /** Random bytes, with some repeated blocks and runs of one value, like real files. */
    private static byte[] randomContent(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        for (int i = random.nextInt(4); i > 0 && length > 0; i--) {
            int from = random.nextInt(length);
            int len = random.nextInt(Math.min(length - from, 3 * BS) + 1);
            if (random.nextBoolean()) {
                Arrays.fill(b, from, from + len, (byte) random.nextInt(3));
            } else {
                int to = random.nextInt(length - len + 1);
                System.arraycopy(b, from, b, to, len);
            }
        }
        return b;
    }

    /** A few random insertions, deletions, overwrites and moves. */
    private static byte[] edit(Random random, byte[] basis) {
        byte[] b = basis.clone();
        for (int i = random.nextInt(8); i > 0; i--) {
            int at = random.nextInt(b.length + 1);
            int len = random.nextInt(random.nextBoolean() ? 50 : 3 * BS);
            switch (random.nextInt(4)) {
                case 0 -> b = concat(Arrays.copyOf(b, at), randomContent(random, len), Arrays.copyOfRange(b, at, b.length));
                case 1 -> b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + len), b.length));
                case 2 -> {
                    byte[] noise = randomContent(random, Math.min(len, b.length - at));
                    System.arraycopy(noise, 0, b, at, noise.length);
                }
                default -> {
                    int to = random.nextInt(b.length + 1);
                    int n = Math.min(len, b.length - at);
                    byte[] moved = Arrays.copyOfRange(b, at, at + n);
                    byte[] rest = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + n, b.length));
                    int t = Math.min(to, rest.length);
                    b = concat(Arrays.copyOf(rest, t), moved, Arrays.copyOfRange(rest, t, rest.length));
                }
            }
        }
        return b;
    }

    @Test
    void hostileSignaturesDoNotMakeTheIndexQuadratic() {
        int blocks = 1 << 20;
        int[] sameWeak = new int[blocks];
        Arrays.fill(sameWeak, 7);
        long[] distinctStrong = new long[blocks];
        Arrays.setAll(distinctStrong, i -> i);
        byte[] source = random(4 * BS, 23);
        for (long[] strong : List.of(distinctStrong, new long[blocks])) {
            Delta.Signature sig = new Delta.Signature(BS, (long) blocks * BS, sameWeak, strong);
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertEquals(source.length, Delta.delta(new ByteArrayInputStream(source), sig, new Recorder())));
        }
    }

    @Test
    void signatureSurvivesTheWire() throws IOException {
        Delta.Signature sig = signature(random(7 * BS + 3, 18), BS);
        byte[] wire = sig.encode();
        assertEquals(12 + 12 * 8, wire.length);
        ByteBuffer in = ByteBuffer.wrap(wire);
        Delta.Signature back = Delta.Signature.decode(in);
        assertEquals(0, in.remaining());
        assertEquals(sig.blockSize(), back.blockSize());
        assertEquals(sig.length(), back.length());
        assertArrayEquals(sig.weak(), back.weak());
        assertArrayEquals(sig.strong(), back.strong());
    }

    private static ByteBuffer header(int blockSize, long length, int entries) {
        ByteBuffer b = ByteBuffer.allocate(12 + 12 * entries);
        b.putInt(blockSize).putLong(length);
        return b.position(0);
    }

    @Test
    void decodeRefusesHostileInput() throws IOException {
        byte[] wire = signature(random(7 * BS + 3, 19), BS).encode();
        for (int cut : new int[] {0, 5, 11, 12, 13, wire.length - 1}) {
            assertThrows(IllegalArgumentException.class, () -> Delta.Signature.decode(ByteBuffer.wrap(wire, 0, cut)),
                    "cut at " + cut);
        }
        byte[] extra = Arrays.copyOf(wire, wire.length + 12);
        assertThrows(IllegalArgumentException.class, () -> Delta.Signature.decode(ByteBuffer.wrap(extra)));
        for (int blockSize : new int[] {0, -1, 8, Delta.MIN_BLOCK_SIZE - 1, Delta.MAX_BLOCK_SIZE + 1, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> Delta.Signature.decode(header(blockSize, 100, 1)),
                    "block size " + blockSize);
        }
        assertThrows(IllegalArgumentException.class, () -> Delta.Signature.decode(header(BS, -1, 0)));
        // Claims more blocks than it carries (no allocation for the claim), or more than allowed.
        assertThrows(IllegalArgumentException.class, () -> Delta.Signature.decode(header(BS, 10L * BS, 9)));
        assertThrows(IllegalArgumentException.class, () -> Delta.Signature.decode(header(BS, 1L << 40, 0)));
        assertThrows(IllegalArgumentException.class, () -> Delta.Signature.decode(header(BS, Long.MAX_VALUE, 0)));
        assertEquals(0, Delta.Signature.decode(header(BS, 0, 0)).blocks());
    }

    @Test
    void signatureChecksItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new Delta.Signature(BS, 2 * BS, new int[2], new long[1]));
        assertThrows(IllegalArgumentException.class, () -> new Delta.Signature(BS, 2 * BS + 1, new int[2], new long[2]));
        assertThrows(IllegalArgumentException.class, () -> new Delta.Signature(100, 0, new int[0], new long[0]));
        assertThrows(IllegalArgumentException.class,
                () -> Delta.signature(new ByteArrayInputStream(new byte[0]), 0, Delta.MAX_BLOCK_SIZE * 2));
    }

    @Test
    void patcherCopiesTheShortLastBlocksRealLength() throws IOException {
        byte[] basis = random(3 * BS + 10, 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Delta.Sink patcher = Delta.patcher(BS, basis.length, reader(basis), out);
        patcher.copy(2, 2);
        patcher.literal(new byte[] {1, 2, 3}, 1, 2);
        patcher.copy(0, 1);
        assertArrayEquals(concat(Arrays.copyOfRange(basis, 2 * BS, basis.length), new byte[] {2, 3},
                Arrays.copyOf(basis, BS)), out.toByteArray());
    }

    @Test
    void patcherRefusesCopiesOutsideTheBasis() {
        byte[] basis = random(3 * BS + 10, 21);
        Delta.Sink patcher = Delta.patcher(BS, basis.length, reader(basis), new ByteArrayOutputStream());
        long[][] bad = {{4, 1}, {3, 2}, {0, 5}, {-1, 1}, {0, 0}, {1, -1}, {2, Integer.MAX_VALUE}, {Long.MAX_VALUE, 1},
            {Long.MIN_VALUE, 2}};
        for (long[] op : bad) {
            assertThrows(IllegalArgumentException.class, () -> patcher.copy(op[0], (int) op[1]), Arrays.toString(op));
        }
        assertThrows(IllegalArgumentException.class, () -> Delta.patcher(0, 10, reader(basis), new ByteArrayOutputStream()));
        assertThrows(IllegalArgumentException.class, () -> Delta.patcher(BS, -1, reader(basis), new ByteArrayOutputStream()));
    }

    @Test
    void patcherReportsABasisShorterThanAnnounced() {
        byte[] basis = random(3 * BS, 22);
        Delta.Sink patcher = Delta.patcher(BS, 4L * BS, reader(basis), new ByteArrayOutputStream());
        assertThrows(EOFException.class, () -> patcher.copy(2, 2));
    }
}
