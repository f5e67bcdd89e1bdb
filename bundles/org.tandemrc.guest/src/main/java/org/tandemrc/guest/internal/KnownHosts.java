package org.tandemrc.guest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Guest's pinned Host keys, {@code etc/known-hosts}: one line per Host address,
 * {@code ADDRESS FINGERPRINT}. A Host is pinned on first contact; a different key later is refused
 * unless the user accepts it explicitly.
 */
final class KnownHosts {

    /**
     * Every connection reads and rewrites the one file through its own instance, and a batch connects to
     * many new Hosts at once: one lock for them all, or a pin is lost or a rename fails.
     */
    private static final Object LOCK = new Object();

    private final Path file;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    Optional<String> pinned(String address) throws IOException {
        synchronized (LOCK) {
            return Optional.ofNullable(read().get(address));
        }
    }

    void pin(String address, String fingerprint) throws IOException {
        synchronized (LOCK) {
            Map<String, String> all = read();
            all.put(address, fingerprint);
            List<String> lines = new ArrayList<>();
            lines.add("# Host keys this Guest has accepted: ADDRESS FINGERPRINT");
            all.forEach((a, f) -> lines.add(a + " " + f));
            Path dir = Files.createDirectories(file.toAbsolutePath().getParent());
            // A name of its own: another process (the console, a command) may be pinning at the same moment.
            Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
            try {
                Files.write(tmp, lines, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private Map<String, String> read() throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int sp = t.lastIndexOf(' ');
                if (sp > 0) {
                    all.put(t.substring(0, sp).trim(), t.substring(sp + 1));
                }
            }
        }
        return all;
    }
}
