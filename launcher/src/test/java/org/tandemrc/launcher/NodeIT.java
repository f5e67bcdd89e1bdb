package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution as an operator uses it: real node processes on loopback, driven by bin/tandem. */
class NodeIT {

    
    @TempDir
    Path tmp;

    /** A home whose default profile listens on loopback only, on the given port (0: any free one). */
    private Path home(String name, int port) throws IOException {
        Path home = tmp.resolve(name);
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/org.tandemrc.profile-default.cfg"),
                "name = default\ndevice = tcp\nbind = 127.0.0.1\nport = " + port + "\n");
        return home;
    }

    /** Starts a host and returns it once it printed where it listens. */
    private static NodeProcess host(Path home) throws Exception {
        NodeProcess node = NodeProcess.start("host", "--home", home.toString());
        node.awaitLine(l -> l.contains("node is up") || l.startsWith("tandem:"), 30_000);
        node.awaitLine(l -> l.contains("Stop with Ctrl+C"), 5_000);
        return node;
    }



    /** A plugin bundle with nothing but a manifest: enough to be installed, started and updated. */
    private Path plugin(String file, String version) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.tandemrc.test.plugin");
        a.putValue("Bundle-Version", version);
        Path jar = tmp.resolve(file);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            j.flush();
        }
        return jar;
    }

    private static String featuresLine(Path home) throws IOException {
        return Files.readAllLines(home.resolve("etc/node.properties")).stream()
                .filter(l -> l.startsWith("features")).findFirst().orElse("");
    }

    /** Polls `bundle list` until a line satisfies the condition or the time is up; returns the time taken. */
    private static long awaitBundles(Path home, java.util.function.Predicate<String> listOk, long millis)
            throws Exception {
        long start = System.nanoTime();
        String last = "";
        while (System.nanoTime() - start < millis * 1_000_000) {
            last = NodeProcess.admin(home, "bundle", "list").out();
            if (listOk.test(last)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
        throw new AssertionError("bundle list never matched within " + millis + " ms:\n" + last);
    }

    @Test
    void aHostListensReportsItsLogAndShowsItsBundles() throws Exception {
        Path home = home("a", 0);
        try (NodeProcess node = host(home)) {
            String out = node.output();
            assertTrue(out.contains("Tandem host node is up"), out);
            assertTrue(out.contains("log        " + home.resolve("data/log/tandem.log")), out);
            int port = node.tcpPort();
            assertTrue(Files.readString(home.resolve("data/log/tandem.log")).contains("Host listens on tcp:127.0.0.1:" + port));

            NodeProcess.Result list = NodeProcess.admin(home, "bundle", "list");
            assertEquals(0, list.status(), list.err());
            for (String bsn : new String[] {"org.apache.felix.scr", "org.apache.felix.configadmin",
                    "org.apache.felix.fileinstall", "org.tandemrc.api", "org.tandemrc.host", "org.tandemrc.comm.tcp"}) {
                assertTrue(list.out().lines().anyMatch(l -> l.contains(" active ") && l.contains(bsn)),
                        bsn + " is not active:\n" + list.out());
            }
            assertFalse(list.out().lines().skip(1).anyMatch(l -> !l.contains(" active ")), list.out());

            // Only the owner may reach the admin channel.
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("run"))));
            assertEquals("rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("run/admin.sock"))));

            // A peer that does not speak the Tandem protocol is disconnected; the Host lives on.
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(5000);
                java.io.DataOutputStream raw = new java.io.DataOutputStream(s.getOutputStream());
                raw.writeInt(5);
                raw.writeBytes("HELLO");
                raw.flush();
                InputStream in = s.getInputStream();
                assertEquals(-1, in.read());
            }
            NodeProcess.Result status = NodeProcess.admin(home, "status");
            assertTrue(status.out().contains("listening: tcp:127.0.0.1:" + port), status.out());

            NodeProcess.Result stop = NodeProcess.admin(home, "stop");
            assertEquals(0, stop.status(), stop.err());
            assertEquals(0, node.awaitExit(20_000));
            assertFalse(Files.exists(home.resolve("run/admin.sock")));
            assertTrue(Files.readString(home.resolve("data/log/tandem.log")).contains("host node stopped"));
        }
    }

    @Test
    void pluginsComeAndGoWithTheDeployFolder() throws Exception {
        Path home = home("deploy", 0);
        try (NodeProcess node = host(home)) {
            Path deployed = home.resolve("deploy/plugin.jar");
            Files.copy(plugin("p1.jar", "1.0.0"), deployed);
            long installed = awaitBundles(home,
                    l -> l.lines().anyMatch(x -> x.matches(".*active\\s+org\\.tandemrc\\.test\\.plugin\\s+1\\.0\\.0\\s+deploy/.*")),
                    10_000);
            System.out.println("deploy/: plugin active after " + installed + " ms");

            Path v2 = plugin("p2.jar", "1.1.0");
            Files.setLastModifiedTime(v2, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
            Files.copy(v2, deployed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            long updated = awaitBundles(home,
                    l -> l.lines().anyMatch(x -> x.matches(".*active\\s+org\\.tandemrc\\.test\\.plugin\\s+1\\.1\\.0\\s+deploy/.*")),
                    10_000);
            System.out.println("deploy/: plugin updated after " + updated + " ms");

            NodeProcess.Result refused = NodeProcess.admin(home, "bundle", "uninstall", "org.tandemrc.test.plugin");
            assertEquals(1, refused.status());
            assertTrue(refused.err().contains("remove the file from deploy/"), refused.err());

            Files.delete(deployed);
            long removed = awaitBundles(home, l -> !l.contains("org.tandemrc.test.plugin"), 10_000);
            System.out.println("deploy/: plugin uninstalled after " + removed + " ms");
            assertTrue(NodeProcess.admin(home, "status").out().contains("listening: tcp:127.0.0.1:"), "the Host kept listening");
        }
    }

    @Test
    void bundlesAreInstalledUpdatedInPlaceAndUninstalledThroughTheAdminChannel() throws Exception {
        Path home = home("admin", 0);
        try (NodeProcess node = host(home)) {
            Path v1 = plugin("a1.jar", "1.0.0");
            NodeProcess.Result r = NodeProcess.admin(home, "bundle", "install", v1.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("installed org.tandemrc.test.plugin 1.0.0"), r.out());
            assertTrue(r.out().contains("active"), r.out());

            r = NodeProcess.admin(home, "bundle", "install", v1.toString());
            assertEquals(1, r.status());
            assertTrue(r.err().contains("already installed"), r.err());

            r = NodeProcess.admin(home, "bundle", "update", "org.tandemrc.test.plugin", plugin("a2.jar", "2.0.0").toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("updated org.tandemrc.test.plugin 1.0.0 -> 2.0.0, active"), r.out());

            // Updating the TCP device in place: the Host re-listens with the new instance.
            int before = node.tcpPort();
            r = NodeProcess.admin(home, "bundle", "update", "org.tandemrc.comm.tcp");
            assertEquals(0, r.status(), r.err());
            String status = NodeProcess.admin(home, "status").out();
            assertTrue(status.contains("listening: tcp:127.0.0.1:"), status);
            assertTrue(Files.readString(home.resolve("data/log/tandem.log"))
                    .contains("Host stops listening on tcp:127.0.0.1:" + before), "the old endpoint was closed");

            r = NodeProcess.admin(home, "bundle", "uninstall", "org.tandemrc.comm.tcp");
            assertEquals(1, r.status());
            assertTrue(r.err().contains("belongs to feature comm-tcp"), r.err());

            r = NodeProcess.admin(home, "bundle", "uninstall", "org.tandemrc.test.plugin");
            assertEquals(0, r.status(), r.err());
            assertFalse(NodeProcess.admin(home, "bundle", "list").out().contains("org.tandemrc.test.plugin"));

            r = NodeProcess.admin(home, "bundle", "uninstall", "9999");
            assertEquals(2, r.status());
            assertTrue(r.err().contains("there is no bundle 9999"), r.err());
            r = NodeProcess.admin(home, "bundle", "install", tmp.resolve("missing.jar").toString());
            assertEquals(1, r.status());
            assertTrue(r.err().contains("no such file"), r.err());
            r = NodeProcess.admin(home, "bundle", "frobnicate");
            assertEquals(2, r.status());
            assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
        }
    }

    @Test
    void featuresAreInstalledAndUninstalledOnARunningNode() throws Exception {
        Path home = home("features", 0);
        try (NodeProcess node = host(home)) {
            NodeProcess.Result list = NodeProcess.admin(home, "feature", "list");
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("comm-tcp") && l.contains("installed")), list.out());

            NodeProcess.Result r = NodeProcess.admin(home, "feature", "uninstall", "comm-tcp");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("uninstalled org.tandemrc.comm.tcp"), r.out());
            String bundles = NodeProcess.admin(home, "bundle", "list").out();
            assertFalse(bundles.contains("io.netty"), bundles);
            assertTrue(bundles.contains("org.tandemrc.api"), "the api stays: the host feature needs it");
            String status = NodeProcess.admin(home, "status").out();
            assertTrue(status.contains("listening: nowhere"), status);
            assertTrue(status.contains("waits for the tcp communication device"), status);
            assertFalse(featuresLine(home).contains("comm-tcp"), "comm-tcp left the saved features");

            r = NodeProcess.admin(home, "feature", "install", "comm-tcp");
            assertEquals(0, r.status(), r.err());
            status = NodeProcess.admin(home, "status").out();
            assertTrue(status.contains("listening: tcp:127.0.0.1:"), status);
            assertTrue(featuresLine(home).contains("comm-tcp"), "comm-tcp is saved again");

            r = NodeProcess.admin(home, "feature", "uninstall", "host");
            assertEquals(1, r.status());
            assertTrue(r.err().contains("this node's role"), r.err());
            r = NodeProcess.admin(home, "feature", "install", "nonsense");
            assertEquals(1, r.status());
            assertTrue(r.err().contains("unknown feature 'nonsense'"), r.err());
        }
        // The node starts again with what was saved.
        try (NodeProcess again = host(home)) {
            assertTrue(again.output().contains("listening  tcp:127.0.0.1:"), again.output());
        }
    }

    @Test
    void featuresTheCommandAddedStayWhenTheConfiguredOnesChange() throws Exception {
        Path home = home("extras", 0);
        // A manager node also runs a relay: its feature comes with the command, not with node.properties.
        try (NodeProcess node = NodeProcess.start("webconnect", "manager", "--home", home.toString(), "--listen",
                "127.0.0.1:0", "--relay-listen", "127.0.0.1:0")) {
            node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
            NodeProcess.Result r = NodeProcess.admin(home, "feature", "uninstall", "comm-tcp");
            assertEquals(0, r.status(), r.err());
            assertFalse(r.out().contains("uninstalled org.tandemrc.webconnect.relay"), r.out());
            String bundles = NodeProcess.admin(home, "bundle", "list").out();
            assertTrue(bundles.lines().anyMatch(l -> l.contains("active") && l.contains("org.tandemrc.webconnect.relay")),
                    bundles);
            r = NodeProcess.admin(home, "feature", "uninstall", "webconnect-relay");
            assertEquals(1, r.status());
            assertTrue(r.err().contains("comes with the command that started this node"), r.err());
        }
    }

    @Test
    void aChangedProfileFileTakesEffectWhileTheNodeRuns() throws Exception {
        Path home = home("profile", 0);
        try (NodeProcess node = host(home)) {
            int free;
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort();
            }
            Files.writeString(home.resolve("etc/org.tandemrc.profile-default.cfg"),
                    "name = default\ndevice = tcp\nbind = 127.0.0.1\nport = " + free + "\n");
            long deadline = System.currentTimeMillis() + 10_000;
            String status = "";
            while (System.currentTimeMillis() < deadline
                    && !(status = NodeProcess.admin(home, "status").out()).contains("listening: tcp:127.0.0.1:" + free)) {
                Thread.onSpinWait();
            }
            assertTrue(status.contains("listening: tcp:127.0.0.1:" + free), status);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", free), 5000);
            }

            Files.writeString(home.resolve("etc/org.tandemrc.profile-default.cfg"),
                    "name = default\ndevice = tcp\nbind = 127.0.0.1\nport = " + free + "\nenabled = false\n");
            deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline
                    && !(status = NodeProcess.admin(home, "status").out()).contains("listening: nowhere")) {
                Thread.onSpinWait();
            }
            assertTrue(status.contains("listening: nowhere"), status);
        }
    }

    @Test
    void aBusyPortAndABusyHomeAreReportedPlainly() throws Exception {
        Path first = home("first", 0);
        try (NodeProcess node = host(first)) {
            int port = node.tcpPort();
            Path second = home("second", port);
            NodeProcess.Result r = NodeProcess.run("host", "--home", second.toString());
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("cannot listen on tcp:127.0.0.1:" + port
                    + ": the address is already in use"), r.out());

            r = NodeProcess.run("host", "--home", first.toString());
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("a node already runs with home " + first), r.out());
        }
    }

    @Test
    void theCommandLineExplainsItselfAndRejectsWrongArguments() throws Exception {
        NodeProcess.Result r = NodeProcess.run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("Commands:") && r.out().contains("--home=DIR"), r.out());
        for (String cmd : new String[] {"host", "admin", "version"}) {
            r = NodeProcess.run(cmd, "--help");
            assertEquals(0, r.status(), cmd);
            assertTrue(r.out().startsWith("Usage: tandem " + cmd), r.out());
        }
        r = NodeProcess.run("version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("tandem "), r.out());

        r = NodeProcess.run("bogus");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("unknown command 'bogus'"), r.err());
        r = NodeProcess.run("host", "extra");
        assertEquals(2, r.status());
        // host takes no positional argument; its words are its subcommands.
        assertTrue(r.err().contains("tandem host: unknown command 'extra'; try install, uninstall"), r.err());
        r = NodeProcess.run("--home");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--home needs DIR"), r.err());
        r = NodeProcess.run("admin", "--home", tmp.resolve("nobody").toString(), "status");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("no node is running with home"), r.err());
    }
}
