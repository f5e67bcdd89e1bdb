package org.tandemrc.session.files.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the file-transfer tests compare (trees by what defines each path, files by hash) and the
 * incompressible files they send.
 */
public final class Trees {

    /** What the file {@code secret} that {@link #outside} makes holds. */
    public static final String SECRET = "not for Guests";

    private Trees() {
    }

    /**
     * Makes {@code parent/outside} with one file, {@code secret} ({@link #SECRET}): where a path that escapes
     * a share leads, which a test then finds unread and unchanged. Returns the folder.
     */
    public static Path outside(Path parent) throws IOException {
        Path outside = Files.createDirectories(parent.resolve("outside"));
        Files.writeString(outside.resolve("secret"), SECRET);
        return outside;
    }

    /** Every path of a tree with what defines it: kind, hash or link target, permissions, time. */
    public static Map<String, String> describe(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    out.put(rel, "folder");
                } else {
                    out.put(rel, "file " + sha(p) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                            + " " + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return out;
    }

    /**
     * Makes the tree the file-transfer tests send: an empty file with an old time, a Unicode name, a
     * read-only file, a hidden file, {@code depth} nested folders {@code d0/d1/...} and a link to a
     * folder ({@code link -> d0/d1}), which a transfer must copy as a link, never follow. Returns the
     * deepest folder, for the caller's own content.
     */
    public static Path sampleTree(Path root, int depth) throws IOException {
        Files.createDirectories(root);
        Files.write(root.resolve("empty"), new byte[0]);
        Files.setLastModifiedTime(root.resolve("empty"), FileTime.fromMillis(1_600_000_000_000L));
        Files.writeString(root.resolve("Grüße – 日本語 ✓.txt"), "héllo wörld\n");
        Path ro = root.resolve("read-only.txt");
        Files.writeString(ro, "do not touch");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r-----"));
        Files.writeString(root.resolve(".hidden"), "secret-ish");
        Path deep = root;
        for (int i = 0; i < depth; i++) {
            deep = deep.resolve("d" + i);
        }
        Files.createDirectories(deep);
        Files.createSymbolicLink(root.resolve("link"), Path.of("d0/d1"));
        return deep;
    }

    /**
     * Writes {@code size} bytes from a random source seeded with {@code seed} to {@code file} and returns
     * them: incompressible, so a transfer cannot shrink them, and the same on every run.
     */
    public static byte[] randomFile(Path file, int size, long seed) throws IOException {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Files.write(file, data);
        return data;
    }

    /** A file's SHA-256, in hex. */
    public static String sha(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
