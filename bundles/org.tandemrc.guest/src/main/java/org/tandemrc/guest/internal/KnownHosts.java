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

    private final Path file;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    synchronized Optional<String> pinned(String address) throws IOException {
        return Optional.ofNullable(read().get(address));
    }

    synchronized void pin(String address, String fingerprint) throws IOException {
        Map<String, String> all = read();
        all.put(address, fingerprint);
        List<String> lines = new ArrayList<>();
        lines.add("# Host keys this Guest has accepted: ADDRESS FINGERPRINT");
        all.forEach((a, f) -> lines.add(a + " " + f));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
