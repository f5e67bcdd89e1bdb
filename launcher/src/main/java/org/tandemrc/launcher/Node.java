package org.tandemrc.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/** One running node: a Felix framework with the features of its role and configuration. */
final class Node {

    /** What the role bundle publishes about itself (the properties of its NodeRole service). */
    record RoleStatus(List<String> listening, List<String> problems, List<String> waiting, List<String> details) {
    }

    // Property names of org.tandemrc.api.node.NodeRole; the kernel reads properties, never API classes.
    private static final String NODE_ROLE = "org.tandemrc.api.node.NodeRole";
    private static final String ROLE = "tandem.role";
    private static final String LISTENING = "tandem.listening";
    private static final String PROBLEMS = "tandem.problems";
    private static final String WAITING = "tandem.waiting";
    private static final String DETAILS = "tandem.details";

    private static final Logger LOG = Logger.getLogger("org.tandemrc.launcher");

    private final NodeHome home;
    private final Path dist;
    private final String role;
    private final Duration startTimeout;
    private final long startedAt = System.currentTimeMillis();
    private Framework framework;
    private Repository repository;
    private FeatureInstaller installer;
    private List<String> configured = List.of();

    private final Map<String, String> options;
    /** Features this run installs besides the role's and the configured ones (not saved). */
    private final List<String> extra;

    /**
     * @param options framework properties from the command line (e.g. {@code tandem.host.listen}),
     *                read by the role bundle
     */
    Node(NodeHome home, Path dist, String role, Duration startTimeout, Map<String, String> options) {
        this(home, dist, role, List.of(), startTimeout, options);
    }

    /** A node that also installs {@code extra} features for this run, e.g. host beside web-console. */
    Node(NodeHome home, Path dist, String role, List<String> extra, Duration startTimeout, Map<String, String> options) {
        this.extra = List.copyOf(extra);
        this.options = Map.copyOf(options);
        this.home = home;
        this.dist = dist;
        this.role = role;
        this.startTimeout = startTimeout;
    }

    /** Runs the node until it is stopped; returns the process exit status. */
    int run(PrintStream console, java.io.InputStream terminal) throws Exception {
        home.prepare(dist.resolve("etc"));
        if (AdminChannel.isServed(home.adminSocket())) {
            String pid = Files.exists(home.pidFile()) ? " (pid " + Files.readString(home.pidFile()).trim() + ")" : "";
            console.println("tandem: a node already runs with home " + home + pid
                    + "; stop it with 'tandem admin --home " + home + " stop', or give another --home");
            return 1;
        }
        NodeLog.install(home.log());
        LOG.info("starting " + role + " node, home " + home + ", distribution " + dist);
        repository = Repository.scan(dist.resolve("system"));
        installer = new FeatureInstaller(repository, Feature.readAll(dist.resolve("features")));
        configured = home.configuredFeatures();

        Map<String, String> props = new HashMap<>();
        props.put("tandem.home", home.toString());
        props.put("tandem.role", role);
        props.put("tandem.dist", dist.toString());
        props.put("felix.cm.dir", home.data().resolve("config").toString());
        props.put("felix.fileinstall.dir", home.etc().toString());
        props.put("felix.fileinstall.filter", ".*\\.(cfg|config)");
        props.put("felix.fileinstall.poll", "1000");
        props.put("felix.fileinstall.noInitialDelay", "true");
        props.put("felix.fileinstall.enableConfigSave", "false");
        props.put("felix.fileinstall.log.level", "3");
        props.put("ds.loglevel", "warn");
        props.putAll(options);
        framework = Frameworks.create(home.data().resolve("cache"), false, props);
        framework.start();
        Commands.registerConsole(context(), terminal, console);

        FeatureInstaller.Report report;
        try {
            report = installer.apply(context(), installedFeatures());
        } catch (IOException e) {
            console.println("tandem: " + e.getMessage());
            console.println("Check the features line of " + home.nodeProperties());
            shutdown();
            return 1;
        }
        ServerSocketChannel admin = AdminChannel.serve(home.adminSocket(), new AdminCommands(this));
        Files.writeString(home.pidFile(), ProcessHandle.current().pid() + "\n");
        Thread hook = new Thread(this::shutdown, "tandem-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int status = announce(console, report);
            if (status != 0) {
                shutdown();
                return status;
            }
            framework.waitForStop(0);
            return 0;
        } finally {
            admin.close();
            Files.deleteIfExists(home.adminSocket());
            Files.deleteIfExists(home.pidFile());
        }
    }

    /** Waits for the role to report, then tells the operator where the node listens, or why it cannot. */
    private int announce(PrintStream console, FeatureInstaller.Report report) throws InterruptedException {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        RoleStatus status = roleStatus();
        while ((status == null || !status.waiting().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the role bundle publishes its status asynchronously, through SCR
            status = roleStatus();
        }
        // From the JVM's own start: the process may be older (a shell that exec'd java after other work).
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        double seconds = (System.currentTimeMillis() - jvmStart) / 1000.0;
        report.problems().forEach(p -> console.println("warning: " + p));
        if (status == null) {
            console.println("tandem: the " + role + " role did not start within " + startTimeout.toSeconds()
                    + " s; see " + home.log());
            return 1;
        }
        // A temporary Host started for a support session listens once its person has typed the code.
        if (status.listening().isEmpty() && System.getProperty("tandem.support.preset") == null) {
            console.println("tandem: the " + role + " node cannot listen anywhere:");
            status.problems().forEach(p -> console.println("  " + p));
            status.waiting().forEach(p -> console.println("  " + p));
            if (status.problems().isEmpty() && status.waiting().isEmpty()) {
                console.println("  no communication profile is enabled in " + home.etc());
            }
            console.println("Change the profile in " + home.etc() + " (org.tandemrc.profile-NAME.cfg), "
                    + "or stop the program that holds the port.");
            return 1;
        }
        console.printf("Tandem %s node is up (%.1f s)%n", role, seconds);
        for (String address : status.listening()) {
            console.println("  listening  " + address);
        }
        status.details().forEach(d -> console.println("  " + d));
        for (String other : extra) {
            RoleStatus o = roleStatus(other);
            if (o != null) {
                o.listening().forEach(a -> console.println(String.format("  %-10s %s", other, a)));
                o.details().forEach(d -> console.println("  " + d));
                o.problems().forEach(p -> console.println("  problem    " + other + ": " + p));
            }
        }
        status.problems().forEach(p -> console.println("  problem    " + p));
        status.waiting().forEach(p -> console.println("  waiting    " + p));
        console.println("  home       " + home);
        console.println("  log        " + home.log());
        console.println("  admin      tandem admin --home " + home + " bundle list");
        console.println("Stop with Ctrl+C or 'tandem admin --home " + home + " stop'.");
        console.flush();
        LOG.info(role + " node up in " + seconds + " s, listening on " + status.listening());
        return 0;
    }

    /** The role's published status, or null while it has published none. */
    RoleStatus roleStatus() {
        return roleStatus(role);
    }

    /** The published status of a role this node plays, or null while it has published none. */
    RoleStatus roleStatus(String name) {
        try {
            ServiceReference<?>[] refs = context().getServiceReferences((String) null,
                    "(&(objectClass=" + NODE_ROLE + ")(" + ROLE + "=" + name + "))");
            if (refs == null) {
                return null;
            }
            ServiceReference<?> ref = refs[0];
            return new RoleStatus(strings(ref.getProperty(LISTENING)), strings(ref.getProperty(PROBLEMS)),
                    strings(ref.getProperty(WAITING)), strings(ref.getProperty(DETAILS)));
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    private static List<String> strings(Object value) {
        if (value instanceof String[] a) {
            return Arrays.asList(a);
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    /** kernel, the role's feature, the command's extra features, then the configured ones. */
    synchronized List<String> installedFeatures() {
        return withRole(configured);
    }

    /**
     * kernel, the role's feature and the features this run's command added (e.g. the relay beside a
     * manager), then {@code features}: what a change of the configured features must keep installed.
     */
    private List<String> withRole(List<String> features) {
        List<String> all = new ArrayList<>(List.of(Feature.KERNEL, role));
        for (List<String> more : List.of(extra, features)) {
            for (String f : more) {
                if (!all.contains(f)) {
                    all.add(f);
                }
            }
        }
        return all;
    }

    synchronized int installFeatures(List<String> names, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        List<String> present = Feature.closure(installer.features(), installedFeatures()).stream()
                .map(Feature::name).toList();
        List<String> next = new ArrayList<>(configured);
        for (String n : names) {
            if (present.contains(n)) {
                out.println("feature " + n + " is already installed");
            } else {
                next = NodeHome.with(next, n);
            }
        }
        return applyFeatures(next, out, err);
    }

    synchronized int uninstallFeatures(List<String> names, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        List<String> next = new ArrayList<>(configured);
        for (String n : names) {
            if (n.equals(Feature.KERNEL) || n.equals(role)) {
                err.println("tandem: feature " + n + " is " + (n.equals(role) ? "this node's role" : "the kernel")
                        + " and cannot be uninstalled");
                return 1;
            }
            if (extra.contains(n) && !configured.contains(n)) {
                err.println("tandem: feature " + n + " comes with the command that started this node and cannot be"
                        + " uninstalled while it runs");
                return 1;
            }
            if (!next.remove(n)) {
                err.println("tandem: feature " + n + " is not installed on this node");
                return 1;
            }
        }
        List<String> remaining = withRole(next);
        for (Feature f : Feature.closure(installer.features(), remaining)) {
            if (names.contains(f.name())) {
                List<String> by = new ArrayList<>();
                for (String r : remaining) {
                    if (Feature.closure(installer.features(), List.of(r)).stream().anyMatch(x -> x.name().equals(f.name()))) {
                        by.add(r);
                    }
                }
                err.println("tandem: feature " + f.name() + " is required by " + String.join(", ", by));
                return 1;
            }
        }
        return applyFeatures(next, out, err);
    }

    private int applyFeatures(List<String> next, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        FeatureInstaller.Report report = installer.apply(context(), withRole(next));
        configured = List.copyOf(next);
        home.writeConfiguredFeatures(configured);
        report.installed().forEach(b -> out.println("installed   " + b));
        report.updated().forEach(b -> out.println("updated     " + b));
        report.uninstalled().forEach(b -> out.println("uninstalled " + b));
        report.problems().forEach(p -> err.println("problem: " + p));
        out.println("features: " + String.join(", ", installedFeatures()) + " (saved in " + home.nodeProperties() + ")");
        return report.problems().isEmpty() ? 0 : 1;
    }

    /** Stops the framework from another thread, so an admin command can answer first. */
    void stopLater() {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(100); // let the admin reply reach the client before the node goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shutdown();
        }, "tandem-stop");
        t.setDaemon(true);
        t.start();
    }

    private void shutdown() {
        Framework f = framework;
        if (f == null) {
            return;
        }
        try {
            stopFramework(f);
        } finally {
            if (Thread.currentThread().getName().equals("tandem-shutdown")) {
                LOG.info(role + " node stopped");
                NodeLog.close();
            }
        }
    }

    private void stopFramework(Framework f) {
        try {
            if ((f.getState() & (org.osgi.framework.Bundle.ACTIVE | org.osgi.framework.Bundle.STARTING)) != 0) {
                LOG.info("stopping " + role + " node");
                f.stop();
            }
            f.waitForStop(15_000);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "stopping the framework: " + e.getMessage(), e);
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    String role() {
        return role;
    }

    NodeHome home() {
        return home;
    }

    long startedAt() {
        return startedAt;
    }

    Repository repository() {
        return repository;
    }

    FeatureInstaller installer() {
        return installer;
    }
}
