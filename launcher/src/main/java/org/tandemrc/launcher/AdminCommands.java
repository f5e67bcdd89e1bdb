package org.tandemrc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;

/**
 * The admin commands a running node serves ({@code tandem admin ...}); {@link AdminCli} has
 * checked their command line.
 */
final class AdminCommands implements AdminChannel.Handler {

    private final Node node;

    AdminCommands(Node node) {
        this.node = node;
    }

    @Override
    public int handle(List<String> args, PrintWriter out, PrintWriter err) {
        try {
            if (args.isEmpty()) {
                throw new UsageException("tandem admin: say what to do: status, stop, bundle ..., feature ...");
            }
            String group = args.get(0);
            List<String> rest = args.subList(1, args.size());
            return switch (group) {
                case "status" -> status(rest, out);
                case "stop" -> stop(rest, out, err);
                case "bundle" -> bundle(rest, out, err);
                case "feature" -> feature(rest, out, err);
                default -> extension(group, rest, out, err);
            };
        } catch (UsageException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IOException | BundleException | IllegalStateException e) {
            err.println("tandem: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("tandem: interrupted");
            return 1;
        }
    }

    /** A command a bundle of the running node adds ({@code admin:NAME}). */
    private int extension(String group, List<String> args, PrintWriter out, PrintWriter err)
            throws UsageException, InterruptedException {
        if (!Commands.exists(node.context(), "admin:" + group)) {
            throw new UsageException("tandem admin: unknown command '" + group
                    + "'; try status, stop, bundle, feature" + extensions());
        }
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
        Integer status;
        try (java.io.PrintStream po = new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8);
                java.io.PrintStream pe = new java.io.PrintStream(e, true, java.nio.charset.StandardCharsets.UTF_8)) {
            status = Commands.invoke(node.context(), "admin:" + group, java.time.Duration.ZERO, args,
                    java.io.InputStream.nullInputStream(), po, pe);
        }
        out.print(o.toString(java.nio.charset.StandardCharsets.UTF_8));
        err.print(e.toString(java.nio.charset.StandardCharsets.UTF_8));
        return status == null ? 1 : status;
    }

    private String extensions() {
        StringBuilder names = new StringBuilder();
        try {
            org.osgi.framework.ServiceReference<?>[] refs = node.context().getServiceReferences((String) null,
                    "(&(objectClass=org.tandemrc.api.node.Command)(" + Commands.NAME_PROPERTY + "=admin:*))");
            if (refs != null) {
                for (org.osgi.framework.ServiceReference<?> r : refs) {
                    names.append(", ").append(String.valueOf(r.getProperty(Commands.NAME_PROPERTY)).substring(6));
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException ex) {
            // the filter is constant
        }
        return names.toString();
    }

    private static void noMore(List<String> args, int allowed, String usage) throws UsageException {
        if (args.size() > allowed) {
            throw new UsageException("tandem admin: unexpected '" + args.get(allowed) + "'; usage: " + usage);
        }
    }

    private int status(List<String> args, PrintWriter out) throws UsageException, IOException {
        noMore(args, 0, "tandem admin status");
        BundleContext ctx = node.context();
        long active = java.util.Arrays.stream(ctx.getBundles()).filter(b -> b.getState() == Bundle.ACTIVE).count();
        out.println("role:      " + node.role());
        out.println("home:      " + node.home());
        out.println("pid:       " + ProcessHandle.current().pid());
        out.println("uptime:    " + (System.currentTimeMillis() - node.startedAt()) / 1000 + " s");
        out.println("features:  " + String.join(", ", node.installedFeatures()));
        out.println("bundles:   " + active + " active of " + ctx.getBundles().length);
        Node.RoleStatus status = node.roleStatus();
        if (status != null) {
            out.println("listening: " + (status.listening().isEmpty() ? "nowhere" : String.join(", ", status.listening())));
            status.problems().forEach(p -> out.println("problem:   " + p));
            status.waiting().forEach(p -> out.println("waiting:   " + p));
        }
        out.println("log:       " + node.home().log());
        return 0;
    }

    /**
     * Stops the node, unless a bundle guards stopping (a {@code guard:stop} command, e.g. the Host's
     * maintenance password) and refuses with the arguments given.
     */
    private int stop(List<String> args, PrintWriter out, PrintWriter err) throws InterruptedException {
        if (Commands.exists(node.context(), "guard:stop")) {
            java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
            Integer status;
            try (java.io.PrintStream pe = new java.io.PrintStream(e, true, java.nio.charset.StandardCharsets.UTF_8)) {
                status = Commands.invoke(node.context(), "guard:stop", java.time.Duration.ZERO, args,
                        java.io.InputStream.nullInputStream(), pe, pe);
            }
            if (status == null || status != 0) {
                err.print(e.toString(java.nio.charset.StandardCharsets.UTF_8));
                return status == null ? 1 : status;
            }
        } else if (!args.isEmpty()) {
            err.println("tandem admin: unexpected '" + args.get(0) + "'; usage: tandem admin stop");
            return 2;
        }
        out.println("stopping the " + node.role() + " node in " + node.home());
        node.stopLater();
        return 0;
    }

    // ---- bundles -------------------------------------------------------------------------------

    private int bundle(List<String> args, PrintWriter out, PrintWriter err)
            throws UsageException, IOException, BundleException, InterruptedException {
        if (args.isEmpty()) {
            throw new UsageException("tandem admin bundle: say list, install, update, uninstall, start or stop");
        }
        String verb = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (verb) {
            case "list" -> {
                noMore(rest, 0, "tandem admin bundle list");
                return list(out);
            }
            case "install" -> {
                boolean start = !rest.contains("--no-start");
                List<String> paths = rest.stream().filter(a -> !a.equals("--no-start")).toList();
                if (paths.size() != 1) {
                    throw new UsageException("usage: tandem admin bundle install JAR [--no-start]");
                }
                return install(Path.of(paths.get(0)), start, out);
            }
            case "update" -> {
                if (rest.isEmpty() || rest.size() > 2) {
                    throw new UsageException("usage: tandem admin bundle update ID|NAME [JAR]");
                }
                return update(find(rest.get(0)), rest.size() == 2 ? Path.of(rest.get(1)) : null, out);
            }
            case "uninstall" -> {
                noMore(rest, 1, "tandem admin bundle uninstall ID|NAME");
                if (rest.isEmpty()) {
                    throw new UsageException("usage: tandem admin bundle uninstall ID|NAME");
                }
                return uninstall(find(rest.get(0)), out, err);
            }
            case "start", "stop" -> {
                noMore(rest, 1, "tandem admin bundle " + verb + " ID|NAME");
                if (rest.isEmpty()) {
                    throw new UsageException("usage: tandem admin bundle " + verb + " ID|NAME");
                }
                Bundle b = find(rest.get(0));
                guardSystem(b);
                if (verb.equals("start")) {
                    b.start();
                } else {
                    b.stop();
                }
                out.println(describe(b) + " is " + state(b));
                return 0;
            }
            default -> throw new UsageException("tandem admin bundle: unknown '" + verb
                    + "'; try list, install, update, uninstall, start or stop");
        }
    }

    private int list(PrintWriter out) throws IOException {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "NAME", "VERSION", "FROM"});
        for (Bundle b : node.context().getBundles()) {
            rows.add(new String[] {Long.toString(b.getBundleId()), state(b), b.getSymbolicName(),
                    b.getVersion().toString(), origin(b)});
        }
        Table.print(rows, out);
        return 0;
    }

    private int install(Path jar, boolean start, PrintWriter out) throws IOException, BundleException {
        Path file = jar.toAbsolutePath().normalize();
        Repository.Entry entry = readBundle(file);
        for (Bundle b : node.context().getBundles()) {
            if (entry.symbolicName().equals(b.getSymbolicName()) && entry.version().equals(b.getVersion())) {
                throw new IllegalStateException(entry.symbolicName() + " " + entry.version()
                        + " is already installed as bundle " + b.getBundleId() + "; use 'bundle update'");
            }
        }
        Bundle b;
        try (InputStream in = Files.newInputStream(file)) {
            b = node.context().installBundle(file.toUri().toString(), in);
        }
        if (start && !entry.fragment()) {
            try {
                b.start();
            } catch (BundleException e) {
                out.println("installed " + describe(b) + " but it does not start: " + e.getMessage());
                return 1;
            }
        }
        out.println("installed " + describe(b) + ", " + state(b));
        return 0;
    }

    private int update(Bundle b, Path jar, PrintWriter out)
            throws IOException, BundleException, InterruptedException {
        guardSystem(b);
        Version before = b.getVersion();
        if (jar != null) {
            Path file = jar.toAbsolutePath().normalize();
            Repository.Entry entry = readBundle(file);
            if (!entry.symbolicName().equals(b.getSymbolicName())) {
                throw new IllegalStateException(file + " holds " + entry.symbolicName() + ", not "
                        + b.getSymbolicName());
            }
            try (InputStream in = Files.newInputStream(file)) {
                b.update(in);
            }
        } else if (b.getLocation().startsWith(FeatureInstaller.LOCATION_PREFIX)) {
            Repository.Entry entry = node.repository().get(b.getSymbolicName());
            if (entry == null) {
                throw new IllegalStateException("the repository no longer has " + b.getSymbolicName());
            }
            try (InputStream in = Files.newInputStream(entry.jar())) {
                b.update(in);
            }
        } else {
            b.update();
        }
        Frameworks.refresh(node.context(), List.of(b));
        out.println("updated " + b.getSymbolicName() + " " + before + " -> " + b.getVersion() + ", " + state(b));
        return 0;
    }

    private int uninstall(Bundle b, PrintWriter out, PrintWriter err)
            throws IOException, BundleException, InterruptedException {
        guardSystem(b);
        if (b.getLocation().startsWith(FeatureInstaller.LOCATION_PREFIX)) {
            List<String> owners = node.installer().featuresOf(node.installedFeatures(), b.getSymbolicName());
            err.println("tandem: " + describe(b) + " belongs to feature " + String.join(", ", owners)
                    + "; uninstall the feature instead (tandem admin feature uninstall NAME)");
            return 1;
        }
        if (isDeployed(b)) {
            err.println("tandem: " + describe(b) + " comes from " + b.getLocation()
                    + "; remove the file from deploy/ to uninstall it");
            return 1;
        }
        String what = describe(b);
        b.uninstall();
        Frameworks.refresh(node.context(), List.of(b));
        out.println("uninstalled " + what);
        return 0;
    }

    // ---- features ------------------------------------------------------------------------------

    private int feature(List<String> args, PrintWriter out, PrintWriter err)
            throws UsageException, IOException, InterruptedException {
        if (args.isEmpty()) {
            throw new UsageException("tandem admin feature: say list, install or uninstall");
        }
        String verb = args.get(0);
        List<String> names = args.subList(1, args.size());
        Map<String, Feature> all = node.installer().features();
        switch (verb) {
            case "list" -> {
                noMore(names, 0, "tandem admin feature list");
                List<String> installed = Feature.closure(all, node.installedFeatures()).stream()
                        .map(Feature::name).toList();
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"NAME", "STATE", "BUNDLES", "DESCRIPTION"});
                for (Feature f : all.values()) {
                    rows.add(new String[] {f.name(), installed.contains(f.name()) ? "installed" : "available",
                            Integer.toString(f.bundles().size()), f.description()});
                }
                Table.print(rows, out);
                return 0;
            }
            case "install", "uninstall" -> {
                if (names.isEmpty()) {
                    throw new UsageException("usage: tandem admin feature " + verb + " NAME...");
                }
                for (String n : names) {
                    if (!all.containsKey(n)) {
                        err.println("tandem: unknown feature '" + n + "'; known: " + String.join(", ", all.keySet()));
                        return 1;
                    }
                }
                return verb.equals("install") ? node.installFeatures(names, out, err)
                        : node.uninstallFeatures(names, out, err);
            }
            default -> throw new UsageException("tandem admin feature: unknown '" + verb
                    + "'; try list, install or uninstall");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Bundle find(String idOrName) throws UsageException {
        BundleContext ctx = node.context();
        if (idOrName.matches("\\d+")) {
            Bundle b = ctx.getBundle(Long.parseLong(idOrName));
            if (b == null) {
                throw new UsageException("tandem: there is no bundle " + idOrName + " (see tandem admin bundle list)");
            }
            return b;
        }
        List<Bundle> matches = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            if (idOrName.equals(b.getSymbolicName())) {
                matches.add(b);
            }
        }
        if (matches.isEmpty()) {
            throw new UsageException("tandem: no bundle is named " + idOrName + " (see tandem admin bundle list)");
        }
        if (matches.size() > 1) {
            throw new UsageException("tandem: several bundles are named " + idOrName + "; give the ID");
        }
        return matches.get(0);
    }

    private static void guardSystem(Bundle b) {
        if (b.getBundleId() == 0) {
            throw new IllegalStateException("bundle 0 is the framework itself; use 'tandem admin stop'");
        }
    }

    private static Repository.Entry readBundle(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file: " + file);
        }
        Repository.Entry entry;
        try {
            entry = Repository.read(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(file + " is not a readable jar: " + e.getMessage());
        }
        if (entry == null) {
            throw new IOException(file + " is not an OSGi bundle (its manifest has no Bundle-SymbolicName)");
        }
        return entry;
    }

    private boolean isDeployed(Bundle b) {
        try {
            java.net.URI uri = java.net.URI.create(b.getLocation());
            return "file".equals(uri.getScheme()) && Path.of(uri).normalize().startsWith(node.home().deploy());
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return false;
        }
    }

    private String origin(Bundle b) throws IOException {
        if (b.getBundleId() == 0) {
            return "kernel";
        }
        if (b.getLocation().startsWith(FeatureInstaller.LOCATION_PREFIX)) {
            return "feature " + String.join(",", node.installer().featuresOf(node.installedFeatures(),
                    b.getLocation().substring(FeatureInstaller.LOCATION_PREFIX.length())));
        }
        if (isDeployed(b)) {
            return "deploy/";
        }
        return "admin " + b.getLocation();
    }

    private static String describe(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion() + " (bundle " + b.getBundleId() + ")";
    }

    static String state(Bundle b) {
        return switch (b.getState()) {
            case Bundle.ACTIVE -> "active";
            case Bundle.RESOLVED -> b.getHeaders().get("Fragment-Host") != null ? "fragment" : "resolved";
            case Bundle.INSTALLED -> "installed";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }
}
