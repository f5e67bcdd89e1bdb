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
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

import org.osgi.framework.launch.Framework;

/**
 * {@code tandem guest ...}: starts a Guest framework for one command (its cache is thrown away
 * afterwards), lets the guest feature's command run with the terminal, and stops. The Guest keeps
 * what it learns (pinned Host keys) in its home; its log goes to {@code data/log/guest.log}.
 */
final class GuestRunner {

    private GuestRunner() {
    }

    static int run(NodeHome home, Path dist, List<String> args, InputStream in, PrintStream out, PrintStream err)
            throws Exception {
        Files.createDirectories(home.etc());
        Files.createDirectories(home.log().getParent());
        installLog(home.log().resolveSibling("guest.log"));
        Path scratch = Files.createTempDirectory("tandem-guest");
        Framework framework = null;
        try {
            Map<String, String> props = new HashMap<>();
            props.put("tandem.home", home.toString());
            props.put("tandem.role", "guest");
            props.put("tandem.dist", dist.toString());
            props.put("felix.cm.dir", scratch.resolve("config").toString());
            Files.createDirectories(scratch.resolve("etc"));
            props.put("felix.fileinstall.dir", scratch.resolve("etc").toString());
            props.put("ds.loglevel", "warn");
            framework = Frameworks.create(scratch.resolve("cache"), true, props);
            framework.start();
            Commands.registerConsole(framework.getBundleContext(), in, out);
            FeatureInstaller installer = new FeatureInstaller(Repository.scan(dist.resolve("system")),
                    Feature.readAll(dist.resolve("features")));
            // Besides its role, a Guest installs the communication devices (comm-*) its home's
            // etc/node.properties names, e.g. comm-http to reach Hosts through web proxies.
            List<String> features = new java.util.ArrayList<>(List.of(Feature.KERNEL, "guest"));
            for (String f : home.configuredFeatures()) {
                if (f.startsWith("comm-") && !features.contains(f)) {
                    features.add(f);
                }
            }
            FeatureInstaller.Report report = installer.apply(framework.getBundleContext(), features);
            if (!report.problems().isEmpty()) {
                report.problems().forEach(p -> err.println("tandem: " + p));
                return 1;
            }
            Integer status = Commands.invoke(framework.getBundleContext(), "guest", Duration.ofSeconds(10), args, in,
                    out, err);
            if (status == null) {
                err.println("tandem: the guest feature offers no guest command; see " + home.log().resolveSibling("guest.log"));
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

    private static void installLog(Path file) throws IOException {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        LogManager.getLogManager().reset();
        FileHandler handler = new FileHandler(file.toString(), true);
        handler.setFormatter(new SimpleFormatter());
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(handler);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
