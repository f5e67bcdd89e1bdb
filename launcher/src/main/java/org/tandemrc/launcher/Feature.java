package org.tandemrc.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deployable feature: a role or an optional plugin set, read from {@code features/NAME.feature}.
 *
 * @param name        the file name without {@code .feature}
 * @param description one line for operators
 * @param requires    features installed together with this one
 * @param bundles     bundle symbolic names in start order
 */
record Feature(String name, String description, List<String> requires, List<String> bundles) {

    static final String KERNEL = "kernel";

    /** Reads every descriptor of a folder, by name. */
    static Map<String, Feature> readAll(Path dir) throws IOException {
        Map<String, Feature> features = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("the feature folder " + dir + " is missing");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.feature")) {
            for (Path file : files) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
                String name = file.getFileName().toString().replaceFirst("\\.feature$", "");
                features.put(name, new Feature(name, p.getProperty("description", ""),
                        list(p.getProperty("requires")), list(p.getProperty("bundles"))));
            }
        }
        return features;
    }

    static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The features {@code names} stand for, each after the features it requires.
     *
     * @throws IOException naming a feature that does not exist, and who asked for it
     */
    static List<Feature> closure(Map<String, Feature> all, List<String> names) throws IOException {
        Set<String> done = new LinkedHashSet<>();
        List<Feature> ordered = new ArrayList<>();
        for (String n : names) {
            visit(all, n, "the node configuration", done, ordered, new LinkedHashSet<>());
        }
        return ordered;
    }

    private static void visit(Map<String, Feature> all, String name, String askedBy, Set<String> done,
            List<Feature> ordered, Set<String> path) throws IOException {
        if (done.contains(name)) {
            return;
        }
        Feature f = all.get(name);
        if (f == null) {
            throw new IOException("unknown feature '" + name + "' (named by " + askedBy + "); known: "
                    + String.join(", ", all.keySet()));
        }
        if (!path.add(name)) {
            throw new IOException("features require each other in a cycle: " + String.join(" -> ", path) + " -> " + name);
        }
        for (String r : f.requires()) {
            visit(all, r, "feature '" + name + "'", done, ordered, path);
        }
        path.remove(name);
        done.add(name);
        ordered.add(f);
    }

    /** The bundles of features, in order, each once. */
    static List<String> bundlesOf(List<Feature> features) {
        Set<String> bsns = new LinkedHashSet<>();
        for (Feature f : features) {
            bsns.addAll(f.bundles());
        }
        return List.copyOf(bsns);
    }
}
