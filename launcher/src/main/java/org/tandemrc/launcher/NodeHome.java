package org.tandemrc.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's home folder: everything one node owns, so several nodes run side by side.
 *
 * <pre>
 * etc/     configuration: node.properties, *.cfg read into ConfigAdmin (changes apply at once)
 * deploy/  plugin bundles, installed, updated and removed as files come and go
 * data/    framework cache, ConfigAdmin store, log/tandem.log
 * run/     admin.sock (owner only) and node.pid while the node runs
 * </pre>
 */
final class NodeHome {

    private static final Pattern FEATURES_LINE = Pattern.compile("(?m)^[ \\t]*features[ \\t]*[=:].*$");

    final Path root;

    NodeHome(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** {@code --home}, else {@code $TANDEM_HOME}, else {@code ~/.tandem}. */
    static NodeHome resolve(String option) {
        if (option != null) {
            return new NodeHome(Path.of(option));
        }
        String env = System.getenv("TANDEM_HOME");
        if (env != null && !env.isBlank()) {
            return new NodeHome(Path.of(env));
        }
        return new NodeHome(Path.of(System.getProperty("user.home"), ".tandem"));
    }

    Path etc() {
        return root.resolve("etc");
    }

    Path deploy() {
        return root.resolve("deploy");
    }

    Path data() {
        return root.resolve("data");
    }

    Path log() {
        return data().resolve("log").resolve("tandem.log");
    }

    Path run() {
        return root.resolve("run");
    }

    Path adminSocket() {
        return run().resolve("admin.sock");
    }

    Path pidFile() {
        return run().resolve("node.pid");
    }

    Path nodeProperties() {
        return etc().resolve("node.properties");
    }

    /**
     * Creates the folders, and on first use copies the distribution's default configuration into
     * {@code etc/} (files already there are kept: a test or an operator may have written them first).
     */
    void prepare(Path distEtc) throws IOException {
        boolean first = !Files.exists(nodeProperties());
        for (Path dir : List.of(etc(), deploy(), data(), log().getParent())) {
            Files.createDirectories(dir);
        }
        Files.createDirectories(run());
        Files.setPosixFilePermissions(run(), PosixFilePermissions.fromString("rwx------"));
        if (first && Files.isDirectory(distEtc)) {
            try (DirectoryStream<Path> defaults = Files.newDirectoryStream(distEtc)) {
                for (Path file : defaults) {
                    Path target = etc().resolve(file.getFileName());
                    if (!Files.exists(target)) {
                        Files.copy(file, target);
                    }
                }
            }
        }
    }

    /** The features {@code etc/node.properties} names. */
    List<String> configuredFeatures() throws IOException {
        if (!Files.exists(nodeProperties())) {
            return List.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(nodeProperties())) {
            p.load(r);
        }
        return Feature.list(p.getProperty("features"));
    }

    /** Rewrites the {@code features} line of {@code etc/node.properties}, keeping everything else. */
    void writeConfiguredFeatures(List<String> features) throws IOException {
        String line = "features = " + String.join(", ", features);
        String text = Files.exists(nodeProperties())
                ? Files.readString(nodeProperties(), StandardCharsets.UTF_8) : "";
        Matcher m = FEATURES_LINE.matcher(text);
        String updated = m.find() ? m.replaceFirst(Matcher.quoteReplacement(line))
                : text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + line + "\n";
        Path tmp = nodeProperties().resolveSibling("node.properties.tmp");
        Files.writeString(tmp, updated, StandardCharsets.UTF_8);
        Files.move(tmp, nodeProperties(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Adds a feature to a list, keeping order. */
    static List<String> with(List<String> list, String name) {
        List<String> out = new ArrayList<>(list);
        if (!out.contains(name)) {
            out.add(name);
        }
        return out;
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
