package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTest {

    @TempDir
    Path dist;

    private void feature(String name, String text) throws IOException {
        Files.createDirectories(dist.resolve("features"));
        Files.writeString(dist.resolve("features").resolve(name + ".feature"), text);
    }

    private void bundle(String bsn, String... headers) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", "1.0.0");
        for (int i = 0; i < headers.length; i += 2) {
            a.putValue(headers[i], headers[i + 1]);
        }
        Files.createDirectories(dist.resolve("system"));
        try (OutputStream out = Files.newOutputStream(dist.resolve("system").resolve(bsn + ".jar"));
                JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
    }

    @Test
    void closureOrdersRequiredFeaturesFirstAndNamesWhatIsUnknown() throws IOException {
        feature("kernel", "bundles = k1, k2\n");
        feature("host", "requires = kernel, comm\nbundles = api, host\n");
        feature("comm", "requires = kernel\nbundles = api, \\\n  tcp\n");
        Map<String, Feature> all = Feature.readAll(dist.resolve("features"));
        List<Feature> closure = Feature.closure(all, List.of("host"));
        assertEquals(List.of("kernel", "comm", "host"), closure.stream().map(Feature::name).toList());
        assertEquals(List.of("k1", "k2", "api", "tcp", "host"), Feature.bundlesOf(closure));

        feature("broken", "requires = nothere\n");
        IOException e = assertThrows(IOException.class,
                () -> Feature.closure(Feature.readAll(dist.resolve("features")), List.of("broken")));
        assertEquals("unknown feature 'nothere' (named by feature 'broken'); known: broken, comm, host, kernel",
                e.getMessage());
    }

    @Test
    void aCycleOfRequirementsIsReported() throws IOException {
        feature("a", "requires = b\n");
        feature("b", "requires = a\n");
        IOException e = assertThrows(IOException.class,
                () -> Feature.closure(Feature.readAll(dist.resolve("features")), List.of("a")));
        assertTrue(e.getMessage().startsWith("features require each other in a cycle: a -> b -> a"), e.getMessage());
    }

    @Test
    void theBuildCheckFailsOnAMissingBundleAndOnAnUnresolvedImport() throws Exception {
        bundle("k");
        bundle("provider", "Export-Package", "org.example.api;version=1.0");
        bundle("consumer", "Import-Package", "org.example.api;version=\"[1,2)\"");
        feature("kernel", "bundles = k\n");
        feature("good", "bundles = provider, consumer\n");
        assertEquals(List.of(), FeatureCheck.check(dist));

        feature("lacking", "bundles = consumer\n");
        feature("missing", "bundles = provider, org.example.absent\n");
        List<String> failures = FeatureCheck.check(dist);
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("feature lacking: bundle consumer: ")
                && failures.get(0).contains("org.example.api"), failures.get(0));
        assertEquals("feature missing: bundle org.example.absent is not in system/", failures.get(1));
    }

    @Test
    void theFeaturesLineIsRewrittenInPlace() throws IOException {
        NodeHome home = new NodeHome(dist);
        Files.createDirectories(home.etc());
        Files.writeString(home.nodeProperties(), "# keep me\nfeatures = comm-tcp\nother = 1\n");
        home.writeConfiguredFeatures(List.of("comm-tcp", "extra"));
        assertEquals("# keep me\nfeatures = comm-tcp, extra\nother = 1\n", Files.readString(home.nodeProperties()));
        assertEquals(List.of("comm-tcp", "extra"), home.configuredFeatures());
        Files.writeString(home.nodeProperties(), "# no line yet");
        home.writeConfiguredFeatures(List.of("x"));
        assertEquals("# no line yet\nfeatures = x\n", Files.readString(home.nodeProperties()));
    }
}
