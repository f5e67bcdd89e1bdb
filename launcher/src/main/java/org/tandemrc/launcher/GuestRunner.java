package org.tandemrc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.framework.launch.Framework;

/**
 * {@code tandem guest ...}, its command line checked by {@link GuestCli}: starts a Guest framework
 * for one command (its cache is thrown away afterwards), lets the guest-cli feature's command run
 * the normalised request with the terminal, and stops. The Guest keeps what it learns (pinned Host
 * keys) in its home; its log goes to {@code data/log/guest.log}.
 *
 * <p>It installs every communication device of the distribution (the {@code comm-*} features), so
 * any address a person writes can be tried, and reads the communication profiles of its home's
 * {@code etc/} (proxy, socket folder, broadcast list...) before the command runs.
 */
final class GuestRunner {

    private GuestRunner() {
    }

    /** Runs the guest-cli feature's {@code command} ({@code guest}, or {@code support} for support sessions). */
    static int run(NodeHome home, Path dist, String command, List<String> args, InputStream in, PrintStream out,
            PrintStream err) throws Exception {
        Files.createDirectories(home.etc());
        Files.createDirectories(home.log().getParent());
        NodeLog.toFile(home.log().resolveSibling("guest.log"));
        Path scratch = Files.createTempDirectory("tandem-guest");
        Framework framework = null;
        try {
            Map<String, String> props = new HashMap<>();
            props.put("tandem.home", home.toString());
            props.put("tandem.role", "guest");
            props.put("tandem.dist", dist.toString());
            props.put("felix.cm.dir", scratch.resolve("config").toString());
            Files.createDirectories(scratch.resolve("etc"));
            int profiles = copyProfiles(home.etc(), scratch.resolve("etc"));
            props.put("felix.fileinstall.dir", scratch.resolve("etc").toString());
            props.put("ds.loglevel", "warn");
            framework = Frameworks.create(scratch.resolve("cache"), true, props);
            framework.start();
            Commands.registerConsole(framework.getBundleContext(), in, out);
            Map<String, Feature> features = Feature.readAll(dist.resolve("features"));
            FeatureInstaller installer = new FeatureInstaller(Repository.scan(dist.resolve("system")), features);
            List<String> wanted = new java.util.ArrayList<>(List.of(Feature.KERNEL, "guest-cli"));
            features.keySet().stream().filter(f -> f.startsWith("comm-")).sorted().forEach(wanted::add);
            FeatureInstaller.Report report = installer.apply(framework.getBundleContext(), wanted);
            if (!report.problems().isEmpty()) {
                report.problems().forEach(p -> err.println("tandem: " + p));
                return 1;
            }
            awaitProfiles(framework.getBundleContext(), profiles, home.etc(), err);
            Integer status = Commands.invoke(framework.getBundleContext(), command, Duration.ofSeconds(10), args, in,
                    out, err);
            if (status == null) {
                err.println("tandem: the guest-cli feature offers no " + command + " command; see "
                        + home.log().resolveSibling("guest.log"));
                return 1;
            }
            return status;
        } finally {
            if (framework != null) {
                framework.stop();
                framework.waitForStop(10_000);
            }
            delete(scratch);
        }
    }

    /** Copies {@code org.tandemrc.profile-*.cfg} of the home; returns how many. */
    private static int copyProfiles(Path etc, Path scratchEtc) throws IOException {
        if (!Files.isDirectory(etc)) {
            return 0;
        }
        int n = 0;
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(etc, "org.tandemrc.profile-*.cfg")) {
            for (Path f : files) {
                Files.copy(f, scratchEtc.resolve(f.getFileName()));
                n++;
            }
        }
        return n;
    }

    /** Waits (a few seconds at most) until ConfigAdmin has turned every profile file into a service. */
    private static void awaitProfiles(org.osgi.framework.BundleContext context, int expected, Path etc, PrintStream err)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (expected > 0) {
            int seen;
            try {
                org.osgi.framework.ServiceReference<?>[] refs =
                        context.getServiceReferences("org.tandemrc.api.profile.ConfiguredProfile", null);
                seen = refs == null ? 0 : refs.length;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (seen >= expected) {
                return;
            }
            if (System.nanoTime() > deadline) {
                err.println("tandem: warning: only " + seen + " of the " + expected + " communication profiles in " + etc
                        + " could be read; see the guest log");
                return;
            }
            Thread.sleep(20);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
