package org.tandemrc.api.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Manifest;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import aQute.bnd.differ.Baseline;
import aQute.bnd.differ.DiffPluginImpl;
import aQute.bnd.header.Attrs;
import aQute.bnd.header.Parameters;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.FileResource;
import aQute.bnd.osgi.Instructions;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Processor;
import aQute.bnd.version.Version;

/**
 * The build's baseline check (bnd-baseline-maven-plugin, the same bnd {@code Baseline} underneath) can
 * fail: a method added without a version bump is caught, the right bump is accepted. The API as built
 * is its own baseline here, so the test holds whatever versions later commits give the packages.
 */
class BaselineCheckTest {

    private static final Path CLASSES = Path.of("target/classes");
    private static final Path SOURCES = Path.of("src/main/java");

    @TempDir
    Path tmp;

    @Test
    void theApiAsBuiltMatchesItself() throws Exception {
        try (Jar built = built(); Jar again = built()) {
            Baseline.Info tool = info(again, built, "org.tandemrc.api.tool");
            assertFalse(tool.mismatch, "an unchanged package must pass");
        }
    }

    @Test
    void aMethodAddedToAConsumerTypeNeedsTheNextMajorVersion() throws Exception {
        try (Jar built = built(); Jar changed = withMethod("org/tandemrc/api/tool/RemoteTool", "ConsumerType")) {
            Version now = exported(built, "org.tandemrc.api.tool");
            Baseline.Info tool = info(changed, built, "org.tandemrc.api.tool");
            assertTrue(tool.mismatch, "a tool built against the package would break, yet its version stayed");
            assertEquals(new Version(now.getMajor() + 1, 0, 0), tool.suggestedVersion);
        }
    }

    @Test
    void aMethodAddedToAProviderTypeNeedsTheNextMinorVersionAndPassesWithIt() throws Exception {
        try (Jar built = built(); Jar changed = withMethod("org/tandemrc/api/tool/client/RemoteTools", "ProviderType")) {
            Version now = exported(built, "org.tandemrc.api.tool.client");
            Version minor = new Version(now.getMajor(), now.getMinor() + 1, 0);
            Baseline.Info tool = info(changed, built, "org.tandemrc.api.tool.client");
            assertTrue(tool.mismatch, "an addition for callers needs a minor bump");
            assertEquals(minor, tool.suggestedVersion);

            export(changed, "org.tandemrc.api.tool.client", minor);
            assertFalse(info(changed, built, "org.tandemrc.api.tool.client").mismatch, "the minor bump must satisfy it");
        }
    }

    private static Jar built() throws IOException {
        assertTrue(Files.isRegularFile(CLASSES.resolve("META-INF/MANIFEST.MF")), "bnd-process ran before the tests");
        return new Jar(CLASSES.toFile());
    }

    /** The built API with one more abstract method on {@code type}, which must carry {@code @annotation}. */
    private Jar withMethod(String type, String annotation) throws Exception {
        String source = Files.readString(SOURCES.resolve(type + ".java"), StandardCharsets.UTF_8);
        assertTrue(source.contains("@" + annotation + "\n"), type + " is no longer @" + annotation);
        String simple = type.substring(type.lastIndexOf('/') + 1);
        String opening = "public interface " + simple + " {";
        assertTrue(source.contains(opening), opening);
        Path file = tmp.resolve("src").resolve(type + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source.replace(opening, opening + "\n    String addedWithoutABump();"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-proc:none", "-d", out.toString(),
                "-cp", System.getProperty("java.class.path"), file.toString());
        assertEquals(0, status, "javac");
        Jar jar = built();
        File compiled = out.resolve(type + ".class").toFile();
        jar.putResource(type + ".class", new FileResource(compiled));
        return jar;
    }

    private static Baseline.Info info(Jar newer, Jar older, String pkg) throws Exception {
        try (Processor reporter = new Processor()) {
            Baseline baseline = new Baseline(reporter, new DiffPluginImpl());
            for (Baseline.Info i : baseline.baseline(newer, older, new Instructions(pkg))) {
                if (i.packageName.equals(pkg)) {
                    return i;
                }
            }
            throw new AssertionError(pkg + " is not exported");
        }
    }

    private static Version exported(Jar jar, String pkg) throws Exception {
        Parameters exports = new Parameters(jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        return Version.parseVersion(exports.get(pkg).getVersion());
    }

    private static void export(Jar jar, String pkg, Version version) throws Exception {
        Manifest manifest = new Manifest(jar.getManifest());
        Parameters exports = new Parameters(manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE));
        Attrs attrs = exports.get(pkg);
        attrs.put(Constants.VERSION_ATTRIBUTE, version.toString());
        manifest.getMainAttributes().putValue(Constants.EXPORT_PACKAGE, exports.toString());
        jar.setManifest(manifest);
        assertEquals(List.of(version), List.of(exported(jar, pkg)));
    }
}
