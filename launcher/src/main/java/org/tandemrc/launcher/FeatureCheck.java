package org.tandemrc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Build-time check: every feature's closure (its bundles and those of the features it requires) is
 * installed from the distribution's {@code system/} into a fresh Felix framework and must resolve.
 * Exits non-zero, naming each missing bundle and unresolved requirement, so the build fails.
 *
 * <p>Usage: {@code FeatureCheck DIST_DIR}
 */
public final class FeatureCheck {

    private FeatureCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: FeatureCheck DIST_DIR");
            System.exit(2);
        }
        List<String> failures = check(Path.of(args[0]));
        if (!failures.isEmpty()) {
            failures.forEach(f -> System.err.println("[feature check] " + f));
            System.exit(1);
        }
    }

    /** Checks every feature of a distribution; returns one sentence per failure. */
    static List<String> check(Path dist) throws Exception {
        Repository repository = Repository.scan(dist.resolve("system"));
        Map<String, Feature> features = Feature.readAll(dist.resolve("features"));
        List<String> failures = new ArrayList<>();
        if (!features.containsKey(Feature.KERNEL)) {
            failures.add("there is no kernel feature");
        }
        for (Feature feature : features.values()) {
            List<String> names = new ArrayList<>(List.of(Feature.KERNEL, feature.name()));
            List<Feature> closure;
            try {
                closure = Feature.closure(features, names);
            } catch (IOException e) {
                failures.add("feature " + feature.name() + ": " + e.getMessage());
                continue;
            }
            List<Repository.Entry> entries = new ArrayList<>();
            for (String bsn : Feature.bundlesOf(closure)) {
                Repository.Entry e = repository.get(bsn);
                if (e == null) {
                    failures.add("feature " + feature.name() + ": bundle " + bsn + " is not in system/");
                } else {
                    entries.add(e);
                }
            }
            if (entries.size() == Feature.bundlesOf(closure).size()) {
                List<String> unresolved = resolve(entries);
                unresolved.forEach(u -> failures.add("feature " + feature.name() + ": " + u));
                if (unresolved.isEmpty()) {
                    System.out.println("[feature check] " + feature.name() + ": " + entries.size()
                            + " bundles resolve");
                }
            }
        }
        return failures;
    }

    private static List<String> resolve(List<Repository.Entry> entries) throws Exception {
        Path storage = Files.createTempDirectory("tandem-feature-check");
        Framework framework = Frameworks.create(storage, true, Map.of());
        List<String> unresolved = new ArrayList<>();
        try {
            framework.start();
            List<Bundle> bundles = new ArrayList<>();
            for (Repository.Entry e : entries) {
                try (InputStream in = Files.newInputStream(e.jar())) {
                    bundles.add(framework.getBundleContext().installBundle("check:" + e.symbolicName(), in));
                }
            }
            framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
            for (Bundle b : bundles) {
                if (b.getState() == Bundle.INSTALLED) {
                    String why = "does not resolve";
                    if (b.getHeaders().get("Fragment-Host") == null) {
                        try {
                            b.start(Bundle.START_TRANSIENT);
                        } catch (BundleException ex) {
                            why = ex.getMessage();
                        }
                    }
                    unresolved.add("bundle " + b.getSymbolicName() + ": " + why);
                }
            }
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
            try (Stream<Path> walk = Files.walk(storage)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return unresolved;
    }
}
