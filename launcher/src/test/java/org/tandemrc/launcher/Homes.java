package org.tandemrc.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Node home folders as the end-to-end tests prepare them before a node starts, and read its events after. */
final class Homes {

    private Homes() {
    }

    /** The distribution's default etc/ files (a home with node.properties gets no copies). */
    static Map<String, String> defaults() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(NodeProcess.DIST.resolve("etc"))) {
            for (Path f : dir) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return files;
    }

    /**
     * A Host's home: the distribution's defaults, the default tcp profile disabled, {@code features},
     * the Host name {@code name}, a folder {@code share} shared as "share", then {@code files} (file name
     * in etc/ to text, e.g. profiles). Returns the share.
     */
    static Path host(Path home, String name, String features, Map<String, String> files) throws IOException {
        Path share = Files.createDirectories(home.resolve("share"));
        Map<String, String> etc = new LinkedHashMap<>(defaults());
        etc.put("node.properties", "features = " + features + "\n");
        etc.put("org.tandemrc.profile-default.cfg", "device = tcp\nenabled = false\n");
        etc.put("org.tandemrc.host.security.cfg", "name = " + name + "\n");
        etc.put("org.tandemrc.files.cfg", "shares = share=" + share + "\n");
        // No desktop notices on the Host's display: SessionTypes compares screenshots with its framebuffer.
        etc.put("org.tandemrc.host.desktop.cfg", "notices = false\n");
        etc.putAll(files);
        write(home, etc);
        return share;
    }

    /** The node's event log (data/log/events.log) so far; empty before its first event. */
    static String events(Path home) throws IOException {
        Path log = home.resolve("data/log/events.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Writes {@code files} (name to text) into {@code home/etc}. */
    static void write(Path home, Map<String, String> files) throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc"));
        for (Map.Entry<String, String> e : files.entrySet()) {
            Files.writeString(etc.resolve(e.getKey()), e.getValue());
        }
    }
}
