package org.tandemrc.session.files.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Measures the delta engine on files in a temporary directory under /tmp, deleted afterwards: a random
 * basis of N MiB (the argument, 1024 by default) and a source with about 1% of its bytes changed in
 * 256 scattered runs (overwrites, insertions and deletions). It times the signature, the delta (into a
 * delta file), the patch (into a new file, then again into a null stream, as writing a new file costs
 * more than patching) and checks that the patched file's SHA-256 is the source's. Last, it times the
 * delta of an unrelated source, over which the window rolls byte by byte: the engine's worst case.
 *
 * <pre>
 * mvn -o -q -f bundles/org.tandemrc.session.files/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.tandemrc.session.files.internal.DeltaBenchmark -Dexec.args=1024
 * </pre>
 */
public final class DeltaBenchmark {

    private static final int EDITS = 256;
    private static final int COPY = 0;
    private static final int LITERAL = 1;

    private DeltaBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long size = (args.length > 0 ? Long.parseLong(args[0]) : 1024) << 20;
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "delta-bench");
        Path basis = dir.resolve("basis");
        Path source = dir.resolve("source");
        Path delta = dir.resolve("delta");
        Path patched = dir.resolve("patched");
        Path unrelated = dir.resolve("unrelated");
        try {
            run(size, basis, source, delta, patched, unrelated);
        } finally {
            for (Path p : new Path[] {basis, source, delta, patched, unrelated, dir}) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void run(long size, Path basis, Path source, Path delta, Path patched, Path unrelated)
            throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        writeRandom(basis, size, random);
        long changed = writeEdited(basis, source, size / 100, random);
        long sourceSize = Files.size(source);
        System.out.printf("basis %d MiB, source %d bytes, %d bytes changed in %d runs%n", size >> 20, sourceSize,
                changed, EDITS);

        long t0 = System.nanoTime();
        Delta.Signature sig;
        try (InputStream in = Files.newInputStream(basis)) {
            sig = Delta.signature(in, size, Delta.blockSize(size));
        }
        report("signature", size, System.nanoTime() - t0);
        byte[] wire = sig.encode();
        System.out.printf("  %d blocks of %d bytes, %d bytes on the wire (%.2f%% of the basis)%n", sig.blocks(),
                sig.blockSize(), wire.length, 100.0 * wire.length / size);
        sig = Delta.Signature.decode(ByteBuffer.wrap(wire));

        t0 = System.nanoTime();
        long literal;
        try (InputStream in = Files.newInputStream(source);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(delta), 1 << 16))) {
            literal = Delta.delta(in, sig, new Delta.Sink() {
                @Override
                public void copy(long first, int count) throws IOException {
                    out.writeByte(COPY);
                    out.writeLong(first);
                    out.writeInt(count);
                }

                @Override
                public void literal(byte[] b, int off, int len) throws IOException {
                    out.writeByte(LITERAL);
                    out.writeInt(len);
                    out.write(b, off, len);
                }
            });
        }
        report("delta, writing a delta file", sourceSize, System.nanoTime() - t0);
        System.out.printf("  %d literal bytes (%.2f%% of the source), delta file %d bytes%n", literal,
                100.0 * literal / sourceSize, Files.size(delta));

        t0 = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(patched)) {
            patch(sig, basis, delta, out);
        }
        report("patch, writing the new file", sourceSize, System.nanoTime() - t0);
        t0 = System.nanoTime();
        patch(sig, basis, delta, OutputStream.nullOutputStream());
        report("patch, to a null stream", sourceSize, System.nanoTime() - t0);
        boolean same = Arrays.equals(sha256(source), sha256(patched));
        System.out.printf("  patched file's SHA-256 %s the source's%n", same ? "equals" : "DIFFERS FROM");

        long unrelatedSize = Math.min(size, 256L << 20);
        writeRandom(unrelated, unrelatedSize, random);
        t0 = System.nanoTime();
        try (InputStream in = Files.newInputStream(unrelated)) {
            literal = Delta.delta(in, sig, new Delta.Sink() {
                @Override
                public void copy(long first, int count) {
                }

                @Override
                public void literal(byte[] b, int off, int len) {
                }
            });
        }
        report("delta of an unrelated source (rolls every byte)", unrelatedSize, System.nanoTime() - t0);
        System.out.printf("  %d literal bytes%n", literal);
        if (!same || literal != unrelatedSize) {
            throw new IllegalStateException("wrong result");
        }
    }

    /** Applies the delta file to the basis, writing the result to {@code out}. */
    private static void patch(Delta.Signature sig, Path basis, Path delta, OutputStream out) throws IOException {
        try (FileChannel basisChannel = FileChannel.open(basis);
                DataInputStream ops = new DataInputStream(new BufferedInputStream(Files.newInputStream(delta), 1 << 16))) {
            Delta.Sink patcher = Delta.patcher(sig.blockSize(), sig.length(),
                    (position, b, off, len) -> basisChannel.read(ByteBuffer.wrap(b, off, len), position), out);
            byte[] buf = new byte[Delta.MAX_LITERAL];
            int op;
            while ((op = ops.read()) >= 0) {
                if (op == COPY) {
                    patcher.copy(ops.readLong(), ops.readInt());
                } else {
                    int len = ops.readInt();
                    ops.readFully(buf, 0, len);
                    patcher.literal(buf, 0, len);
                }
            }
        }
    }

    private static void report(String what, long bytes, long nanos) {
        System.out.printf("%-50s %8.3f s %8.0f MB/s%n", what, nanos / 1e9, bytes / (nanos / 1e3));
    }

    private static void writeRandom(Path file, long size, SplittableRandom random) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < size; done += buf.limit()) {
                buf.clear();
                while (buf.hasRemaining()) {
                    buf.putLong(random.nextLong());
                }
                buf.flip().limit((int) Math.min(buf.capacity(), size - done));
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
        }
    }

    /**
     * Copies {@code basis} to {@code source} with {@value #EDITS} edits at random sorted offsets, each
     * an overwrite, insertion or deletion of a random length averaging {@code budget / EDITS} bytes.
     *
     * @return the number of bytes changed (overwritten, inserted or deleted)
     */
    private static long writeEdited(Path basis, Path source, long budget, SplittableRandom random) throws IOException {
        long size = Files.size(basis);
        long[] at = new long[EDITS];
        for (int i = 0; i < EDITS; i++) {
            at[i] = random.nextLong(size);
        }
        Arrays.sort(at);
        long changed = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(basis), 1 << 20);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(source, StandardOpenOption.CREATE_NEW),
                        1 << 20)) {
            long pos = 0;
            for (long edit : at) {
                if (edit < pos) {
                    continue;
                }
                pos += copy(in, edit - pos, out);
                int len = 1 + random.nextInt((int) (2 * budget / EDITS));
                byte[] noise = new byte[len];
                random.nextBytes(noise);
                switch (random.nextInt(3)) {
                    case 0 -> { // overwrite
                        len = (int) Math.min(len, size - pos);
                        in.skipNBytes(len);
                        pos += len;
                        out.write(noise, 0, len);
                    }
                    case 1 -> out.write(noise); // insert
                    default -> { // delete
                        len = (int) Math.min(len, size - pos);
                        in.skipNBytes(len);
                        pos += len;
                    }
                }
                changed += len;
            }
            in.transferTo(out);
        }
        return changed;
    }

    /** Copies exactly {@code n} bytes; returns {@code n}. */
    private static long copy(InputStream in, long n, OutputStream out) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = n;
        while (left > 0) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (k < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, k);
            left -= k;
        }
        return n;
    }

    private static byte[] sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
