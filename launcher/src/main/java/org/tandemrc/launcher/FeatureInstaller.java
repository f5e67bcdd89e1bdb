package org.tandemrc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Makes the bundles of a running framework match a set of features: installs what is missing from
 * the repository, updates what the repository has in another version, uninstalls feature bundles no
 * installed feature needs any more, and starts the rest. Bundles it manages carry the location
 * {@value #LOCATION_PREFIX}{@code <symbolic name>}; it never touches any other bundle.
 */
final class FeatureInstaller {

    static final String LOCATION_PREFIX = "tandem:feature:";
    private static final Logger LOG = Logger.getLogger("org.tandemrc.launcher.features");

    /** What one reconciliation did; problems are bundles that would not start, with the reason. */
    record Report(List<String> installed, List<String> updated, List<String> uninstalled, List<String> problems) {
        boolean changed() {
            return !installed.isEmpty() || !updated.isEmpty() || !uninstalled.isEmpty();
        }
    }

    private final Repository repository;
    private final Map<String, Feature> features;

    FeatureInstaller(Repository repository, Map<String, Feature> features) {
        this.repository = repository;
        this.features = features;
    }

    Map<String, Feature> features() {
        return features;
    }

    /**
     * Brings the framework in line with {@code names} (and the features they require).
     *
     * @throws IOException when a feature is unknown or names a bundle the repository lacks; nothing
     *                     was changed then
     */
    synchronized Report apply(BundleContext context, List<String> names) throws IOException, InterruptedException {
        List<Feature> closure = Feature.closure(features, names);
        List<String> wanted = Feature.bundlesOf(closure);
        List<Repository.Entry> entries = new ArrayList<>();
        for (String bsn : wanted) {
            Repository.Entry e = repository.get(bsn);
            if (e == null) {
                throw new IOException("bundle " + bsn + " is not in the repository " + "(needed by feature "
                        + owner(closure, bsn) + ")");
            }
            entries.add(e);
        }
        Map<String, Bundle> managed = new LinkedHashMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX)) {
                managed.put(b.getLocation().substring(LOCATION_PREFIX.length()), b);
            }
        }
        List<String> installed = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> uninstalled = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Bundle> toRefresh = new ArrayList<>();
        for (Map.Entry<String, Bundle> m : managed.entrySet()) {
            if (!wanted.contains(m.getKey())) {
                try {
                    m.getValue().uninstall();
                    uninstalled.add(m.getKey());
                    toRefresh.add(m.getValue());
                } catch (BundleException e) {
                    problems.add(m.getKey() + ": cannot uninstall: " + e.getMessage());
                }
            }
        }
        List<Bundle> toStart = new ArrayList<>();
        for (Repository.Entry e : entries) {
            Bundle b = managed.get(e.symbolicName());
            try (InputStream in = Files.newInputStream(e.jar())) {
                if (b == null) {
                    b = context.installBundle(LOCATION_PREFIX + e.symbolicName(), in);
                    installed.add(e.symbolicName() + " " + e.version());
                } else if (!b.getVersion().equals(e.version())) {
                    String from = b.getVersion().toString();
                    b.update(in);
                    updated.add(e.symbolicName() + " " + from + " -> " + e.version());
                    toRefresh.add(b);
                }
            } catch (BundleException ex) {
                problems.add(e.symbolicName() + ": cannot install: " + ex.getMessage());
                continue;
            }
            if (!e.fragment()) {
                toStart.add(b);
            }
        }
        if (!toRefresh.isEmpty()) {
            Frameworks.refresh(context, toRefresh);
        }
        for (Bundle b : toStart) {
            if (b.getState() != Bundle.ACTIVE) {
                try {
                    b.start();
                } catch (BundleException | IllegalStateException ex) {
                    problems.add(b.getSymbolicName() + ": cannot start: " + ex.getMessage());
                }
            }
        }
        Report report = new Report(installed, updated, uninstalled, problems);
        if (report.changed()) {
            LOG.info("features " + names + ": installed " + installed + ", updated " + updated + ", uninstalled "
                    + uninstalled);
        }
        problems.forEach(LOG::severe);
        return report;
    }

    /** The names of the installed features that contain a bundle. */
    List<String> featuresOf(List<String> installedFeatures, String bsn) throws IOException {
        List<String> owners = new ArrayList<>();
        for (Feature f : Feature.closure(features, installedFeatures)) {
            if (f.bundles().contains(bsn)) {
                owners.add(f.name());
            }
        }
        return owners;
    }

    private static String owner(List<Feature> closure, String bsn) {
        return closure.stream().filter(f -> f.bundles().contains(bsn)).map(Feature::name).findFirst().orElse("?");
    }
}
