package org.tandemrc.itest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;

/**
 * Packages the test-only plugins under {@code org.tandemrc.itest.plugins} (compiled from test sources)
 * into bundles with bnd, the way the shipped bundles are built: Declarative Services annotations are
 * turned into {@code OSGI-INF/*.xml} and a {@code Service-Component} header. Runs outside the
 * framework, from the Pax Exam configuration method; the jars go to {@code target/itest/plugins}.
 */
final class PluginBundles {

    static final String ALPHA_BSN = "org.tandemrc.itest.plugin.alpha";
    static final String BETA_BSN = "org.tandemrc.itest.plugin.beta";

    /** File names of the built plugins, inside {@link #build()}'s directory. */
    static final String ALPHA_V1 = "alpha-1.0.0.jar";
    static final String ALPHA_V2 = "alpha-2.0.0.jar";
    static final String BETA = "beta-1.0.0.jar";

    /** The base every plugin shares; each bundle carries its own copy, so no plugin depends on another. */
    private static final String COMMON = "org.tandemrc.itest.plugins.common";

    private record Plugin(String file, String bsn, String version, String privatePackage) {}

    private static final List<Plugin> PLUGINS = List.of(
            new Plugin(ALPHA_V1, ALPHA_BSN, "1.0.0", "org.tandemrc.itest.plugins.alpha.v1," + COMMON),
            new Plugin(ALPHA_V2, ALPHA_BSN, "2.0.0", "org.tandemrc.itest.plugins.alpha.v2," + COMMON),
            new Plugin(BETA, BETA_BSN, "1.0.0", "org.tandemrc.itest.plugins.beta," + COMMON));

    private PluginBundles() {}

    /** Builds every plugin bundle and returns the directory holding them. */
    static Path build() throws Exception {
        File testClasses = new File(System.getProperty("tandem.itest.test.classes", "target/test-classes"));
        File api = new File(HotSwapIT.apiBundle());
        Path dir = Path.of(System.getProperty("tandem.itest.work", "target/itest"), "plugins");
        Files.createDirectories(dir);
        for (Plugin plugin : PLUGINS) {
            try (Builder builder = new Builder()) {
                builder.setProperty(Constants.BUNDLE_SYMBOLICNAME, plugin.bsn());
                builder.setProperty(Constants.BUNDLE_VERSION, plugin.version());
                builder.setProperty(Constants.PRIVATEPACKAGE, plugin.privatePackage());
                builder.setProperty(Constants.DSANNOTATIONS, "*");
                builder.setProperty(Constants.NOIMPORTJAVA, "true");
                builder.setProperty(Constants.NOEXTRAHEADERS, "true");
                builder.setProperty(Constants.REPRODUCIBLE, "true");
                // The API jar gives the import version ranges.
                builder.setClasspath(new File[] {testClasses, api});
                Jar jar = builder.build();
                if (!builder.isOk()) {
                    throw new IllegalStateException("bnd failed on " + plugin + ": " + builder.getErrors());
                }
                if (jar.getManifest().getMainAttributes().getValue(Constants.SERVICE_COMPONENT) == null) {
                    throw new IllegalStateException("no Declarative Services component in " + plugin);
                }
                jar.write(dir.resolve(plugin.file()).toFile());
            }
        }
        return dir;
    }
}
