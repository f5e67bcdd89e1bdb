package org.tandemrc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * {@code tandem guest ...}, its command line checked by {@link GuestCli}: starts a Guest framework
 * for one command on the user's start-up cache ({@link GuestCache}; a throw-away one when that cannot
 * be used), lets the guest-cli feature's command run the normalised request with the terminal, and
 * stops. The Guest keeps what it learns (pinned Host keys) in its home; its log goes to
 * {@code data/log/guest.log}.
 *
 * <p>It installs every communication device of the distribution (the {@code comm-*} features), so
 * any address a person writes can be tried, and reads the communication profiles of its home's
 * {@code etc/} (proxy, socket folder, broadcast list...) before the command runs. A home with
 * {@code etc/org.tandemrc.security.client.cfg} also gets the security-client feature, the Guest's name
 * service for {@code NS::NAME}, ready before the command runs.
 */
final class GuestRunner {

    private static final Logger LOG = Logger.getLogger("org.tandemrc.launcher.guest");

    private GuestRunner() {
    }

    /** Runs the guest-cli feature's {@code command} ({@code guest}, or {@code support} for support sessions). */
    static int run(NodeHome home, Path dist, String command, List<String> args, InputStream in, PrintStream out,
            PrintStream err) throws Exception {
        Files.createDirectories(home.etc());
        Files.createDirectories(home.log().getParent());
        NodeLog.toFile(home.log().resolveSibling("guest.log"));
        Path scratch = Files.createTempDirectory("tandem-guest");
        GuestCache.Slot slot = cache(dist, err);
        Framework framework = null;
        try {
            Map<String, String> props = new HashMap<>();
            props.put("tandem.home", home.toString());
            props.put("tandem.role", "guest");
            props.put("tandem.dist", dist.toString());
            props.put("felix.cm.dir", scratch.resolve("config").toString());
            Files.createDirectories(scratch.resolve("etc"));
            int profiles = copy(home.etc(), "org.tandemrc.profile-*.cfg", scratch.resolve("etc"));
            boolean nameService = copy(home.etc(), SECURITY_CLIENT_CFG, scratch.resolve("etc")) > 0;
            props.put("felix.fileinstall.dir", scratch.resolve("etc").toString());
            // Read the profiles at once: by default FileInstall first sleeps a poll interval (2 s) holding a
            // lock that its stop waits for, so that every command took up to 2 s longer to end.
            props.put("felix.fileinstall.noInitialDelay", "true");
            props.put("ds.loglevel", "warn");
            String stamp = slot == null ? null : GuestCache.stamp(dist);
            boolean warm = slot != null && slot.matches(stamp) && Files.isRegularFile(slot.index());
            if (slot != null && !warm) {
                slot.clear();
            }
            try {
                framework = start(slot == null ? scratch.resolve("cache") : slot.felix(), slot == null, props);
            } catch (BundleException | RuntimeException e) {
                if (!warm) {
                    throw e;
                }
                // A cache the framework cannot read (a command killed while it wrote): make it again.
                LOG.warning("the Guest's start-up cache " + slot.dir() + " is unusable, made again: " + e);
                warm = false;
                slot.clear();
                framework = start(slot.felix(), false, props);
            }
            Commands.registerConsole(framework.getBundleContext(), in, out);
            Map<String, Feature> features = Feature.readAll(dist.resolve("features"));
            Repository repository = warm ? Repository.read(slot.index(), dist.resolve("system"))
                    : Repository.scan(dist.resolve("system"));
            FeatureInstaller installer = new FeatureInstaller(repository, features);
            List<String> wanted = new java.util.ArrayList<>(List.of(Feature.KERNEL, "guest-cli"));
            features.keySet().stream().filter(f -> f.startsWith("comm-")).sorted().forEach(wanted::add);
            if (nameService) {
                wanted.add("security-client");
            }
            FeatureInstaller.Report report = installer.apply(framework.getBundleContext(), wanted);
            if (!report.problems().isEmpty()) {
                report.problems().forEach(p -> err.println("tandem: " + p));
                if (slot != null) {
                    slot.unseal(); // the next command makes the cache again
                }
                return 1;
            }
            if (slot != null && !warm) {
                repository.write(slot.index());
                slot.seal(stamp);
            }
            int read = await(framework.getBundleContext(), "org.tandemrc.api.profile.ConfiguredProfile", profiles);
            if (read < profiles) {
                err.println("tandem: warning: only " + read + " of the " + profiles + " communication profiles in "
                        + home.etc() + " could be read; see the guest log");
            }
            if (nameService && await(framework.getBundleContext(), "org.tandemrc.api.comm.NameResolver", 1) < 1) {
                err.println("tandem: warning: the Security Server client of " + home.etc().resolve(SECURITY_CLIENT_CFG)
                        + " did not start; see the guest log");
            }
            Integer status = Commands.invoke(framework.getBundleContext(), command, Duration.ofSeconds(10), args, in,
                    out, err);
            if (status == null) {
                err.println("tandem: the guest-cli feature offers no " + command + " command; see "
                        + home.log().resolveSibling("guest.log"));
                return 1;
            }
            if (status == 0) {
                archivable();
            }
            return status;
        } finally {
            if (framework != null) {
                framework.stop();
                framework.waitForStop(10_000);
            }
            if (slot != null) {
                slot.close();
            }
            GuestCache.delete(scratch);
        }
    }


    /**
     * Tells bin/tandem that the class data archive this JVM writes at its exit may be used: the command
     * loaded what a Guest command loads (see {@code -Dtandem.cds.ok} there).
     */
    private static void archivable() {
        String ok = System.getProperty("tandem.cds.ok");
        if (ok != null) {
            try {
                Files.createFile(Path.of(ok));
            } catch (IOException e) {
                LOG.fine("cannot mark the class data archive usable: " + e);
            }
        }
    }

    /** Creates and starts the Guest framework on the bundle cache {@code storage}. */
    private static Framework start(Path storage, boolean clean, Map<String, String> props) throws BundleException {
        Framework framework = Frameworks.create(storage, clean, props);
        try {
            framework.start();
        } catch (BundleException | RuntimeException e) {
            framework.stop();
            throw e;
        }
        return framework;
    }

    /**
     * A locked slot of the user's start-up cache ({@link GuestCache}), or null: the command then starts
     * with a throw-away cache, as when every slot is busy or the cache folder is not the user's alone (said
     * on {@code err}: that one is a problem to fix).
     */
    private static GuestCache.Slot cache(Path dist, PrintStream err) {
        try {
            List<String> problems = new java.util.ArrayList<>();
            GuestCache.Slot slot = GuestCache.acquire(GuestCache.root(System.getenv(), System.getProperty("user.home")),
                    dist, GuestCache.currentUser(), problems);
            problems.forEach(p -> err.println("tandem: warning: not using the start-up cache: " + p));
            return slot;
        } catch (IOException | RuntimeException e) {
            LOG.warning("no start-up cache: " + e);
            return null;
        }
    }

    /** The Guest's Security Server client settings, the name service of {@code NS::NAME}. */
    private static final String SECURITY_CLIENT_CFG = "org.tandemrc.security.client.cfg";

    /** Copies the files of the home's {@code etc} that match {@code glob}; returns how many. */
    private static int copy(Path etc, String glob, Path scratchEtc) throws IOException {
        if (!Files.isDirectory(etc)) {
            return 0;
        }
        int n = 0;
        try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(etc, glob)) {
            for (Path f : files) {
                Files.copy(f, scratchEtc.resolve(f.getFileName()));
                n++;
            }
        }
        return n;
    }

    /**
     * Waits (a few seconds at most) until ConfigAdmin has turned the files into {@code expected} services
     * named {@code service}; returns how many there are.
     */
    private static int await(org.osgi.framework.BundleContext context, String service, int expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            int seen;
            try {
                org.osgi.framework.ServiceReference<?>[] refs = context.getServiceReferences(service, null);
                seen = refs == null ? 0 : refs.length;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            if (seen >= expected || System.nanoTime() > deadline) {
                return seen;
            }
            Thread.sleep(20);
        }
    }
}
