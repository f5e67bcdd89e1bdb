package org.tandemrc.session.files.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What the file-transfer tests compare: trees by what defines each path, files by hash. */
public final class Trees {

    private Trees() {
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
