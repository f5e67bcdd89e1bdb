package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.Netns;
import org.tandemrc.api.testing.Postgres;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * WebConnect end to end with real nodes in network namespaces: the Guest's network ("g") and the Host's
 * ("h") each reach only the WebConnect service at 10.208.0.1 in "c" (which forwards nothing), so the Host
 * cannot be reached from the Guest but both dial out, and meet on a relay: over TLS with one manager and
 * its relay, in plaintext (the sessions are end-to-end encrypted either way) with two managers and three
 * relays on PostgreSQL.
 */
class WebConnectIT {

    private static final String PASSWORD = "host password for the guest";
    private static final String ACCOUNT_PASSWORD = "acme account password";
    private static final String SERVICE = "10.208.0.1";

    @TempDir
    Path tmp;

    /** The three namespaces; returns {c, g, h}: the Guest (g) and the Host (h) reach the service in c only. */
    private static String[] network(Netns net) throws Exception {
        return net.hub("c", SERVICE, "10.208", "g", "h");
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text + "\n");
    }

    /** A WebConnect node ({@code webconnect manager|relay ARGS}) in {@code ns}, once it is up. */
    private static NodeProcess service(String ns, Path home, Map<String, String> etc, String... args) throws Exception {
        Homes.write(home, etc);
        List<String> all = new ArrayList<>(List.of("webconnect"));
        all.addAll(List.of(args));
        all.addAll(List.of("--home", home.toString()));
        NodeProcess node = NodeProcess.startIn(ns, Map.of(), all.toArray(String[]::new));
        node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
        assertTrue(node.output().contains("node is up"), node.output());
        return node;
    }

    private void account(Path managerHome) throws Exception {
        NodeProcess.Result r = NodeProcess.run("admin", "--home", managerHome.toString(), "webconnect", "account", "add",
                "acme", "--password-file", file("account-pw", ACCOUNT_PASSWORD).toString());
        assertEquals(0, r.status(), r.out() + r.err());
    }

    /** The administrator makes a support session for the account and cancels it, through the command line. */
    private static void supportSessionFromTheCommandLine(Path managerHome) throws Exception {
        String home = managerHome.toString();
        NodeProcess.Result r = NodeProcess.run("admin", "--home", home, "webconnect", "support", "new", "acme",
                "--supporter", "Ann Helper", "--code-minutes", "5");
        assertEquals(0, r.status(), r.out() + r.err());
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("support-code = (\\d{9})").matcher(r.out());
        assertTrue(code.find() && r.out().contains("of account acme: waiting"), r.out());
        r = NodeProcess.run("admin", "--home", home, "webconnect", "support", "cancel", "acme", code.group(1));
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains(": cancelled"), r.out());
        r = NodeProcess.run("admin", "--home", home, "webconnect", "support", "new", "acme");
        assertEquals(2, r.status(), "--supporter is required: " + r.out() + r.err());
    }

    /**
     * The webconnect profile of a Host or Guest using the manager at {@code port}: in plaintext when
     * {@code trust} is null, else over TLS trusting that certificate file.
     */
    private String profile(int port, Path trust) throws Exception {
        return "device = webconnect\nmanager = " + (trust == null ? "" : "tls:") + SERVICE + ":" + port
                + "\naccount = acme\npassword-file = " + file("account-pw", ACCOUNT_PASSWORD) + "\n"
                + (trust == null ? "" : "trust = " + trust + "\n");
    }

    /**
     * The Host in "h" on a terminal (for message and chat), sharing Xvfb's display when {@code x} is not
     * null, with a webconnect profile on the manager at {@code managerPort} and a tcp profile on its own
     * address (to show the Guest cannot use it).
     */
    private NodeProcess host(String h, String name, Xvfb x, int managerPort, Path trust) throws Exception {
        Path home = tmp.resolve("host-" + name);
        Homes.host(home, name, "comm-webconnect, comm-tcp, sessions, terminal, log-file"
                + (x == null ? "" : ", screen-x11"), Map.of(
                        "org.tandemrc.profile-wc.cfg", profile(managerPort, trust),
                        "org.tandemrc.profile-lan.cfg", "device = tcp\nbind = 10.208.2.2\nport = 6502\n"));
        Path pw = file("host-pw", PASSWORD);
        NodeProcess node = NodeProcess.startOnTerminalIn(h, x == null ? Map.of() : Map.of("DISPLAY", x.display),
                "host", "--home", home.toString(), "--password-file", pw.toString());
        node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
        assertTrue(node.output().contains("listening  webconnect:" + name + "@" + (trust == null ? "" : "tls:")),
                node.output());
        return node;
    }

    @Test
    void aGuestReachesAHostBehindNatThroughTheRelayWithEverySessionTypeAndTheRelaySeesOnlyCiphertext()
            throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        try (Netns net = new Netns("wc")) {
            String[] ns = network(net);
            String c = ns[0];
            String g = ns[1];
            String h = ns[2];
            Path managerHome = tmp.resolve("manager");
            // The manager and its relay speak TLS with the certificate they make on first start.
            try (NodeProcess manager = service(c, managerHome, Map.of("org.tandemrc.webconnect.manager.cfg", "tls = true\n",
                    "org.tandemrc.webconnect.relay.cfg", "tls = true\n"), "manager", "--listen", SERVICE + ":6590",
                    "--relay-listen", SERVICE + ":6591")) {
                account(managerHome);
                supportSessionFromTheCommandLine(managerHome);
                Path trust = managerHome.resolve("data/webconnect-tls.crt");
                assertTrue(Files.exists(trust), manager.output());
                try (Xvfb x = Xvfb.start(800, 600, fb); NodeProcess host = host(h, "pc-behind-nat", x, 6590, trust)) {
                    // The Host listens on its own network, and the Guest's network cannot reach it there.
                    assertTrue(Netns.canReach(h, "10.208.2.2", 6502), "the Host's own tcp profile");
                    assertFalse(Netns.canReach(g, "10.208.2.2", 6502), "the Guest reaches the Host directly");
                    Homes.write(tmp.resolve("guest-home"), Map.of("org.tandemrc.profile-wc.cfg", profile(6590, trust)));

                    SessionTypes sessions = new SessionTypes(tmp, PASSWORD, g);
                    String address = "webconnect:pc-behind-nat";
                    try (Capture capture = Capture.start(c, tmp.resolve("relay.pcap"))) {
                        sessions.all(address, "pc-behind-nat", host, tmp.resolve("host-pc-behind-nat/share"), x, 800, 600);
                        // A plaintext sent on purpose across "c" must be found, the sessions' not.
                        capture.assertOnlyCiphertext(g, SERVICE + "/6590", sessions, "relay's machine",
                                List.of(PASSWORD, ACCOUNT_PASSWORD), List.of("the Host password", "the account password"));
                    }
                }
            }
        }
    }

    @Test
    void twoManagersAndThreeRelaysOnPostgresqlCarryAFileTransferThroughARelayKilledOnTheWay() throws Exception {
        try (Netns net = new Netns("wp")) {
            String[] ns = network(net);
            String c = ns[0];
            String g = ns[1];
            String h = ns[2];
            try (Postgres pg = Postgres.start(c, SERVICE, 6599)) {
                String db = "database.url = " + pg.jdbcUrl() + "\ndatabase.user = postgres\n";
                List<NodeProcess> nodes = new ArrayList<>();
                Map<Integer, NodeProcess> relays = new LinkedHashMap<>();
                try {
                    Path a = tmp.resolve("manager-a");
                    nodes.add(service(c, a, Map.of("org.tandemrc.webconnect.manager.cfg", db), "manager", "--listen",
                            SERVICE + ":6590", "--no-relay"));
                    nodes.add(service(c, tmp.resolve("manager-b"), Map.of("org.tandemrc.webconnect.manager.cfg", db),
                            "manager", "--listen", SERVICE + ":6592", "--no-relay"));
                    // 8 MiB/s per session and direction: the transfer lasts long enough to lose a relay on the way.
                    String relayCfg = db + "session-bandwidth = 8M\n";
                    for (int port : new int[] {6593, 6594, 6595}) {
                        NodeProcess relay = service(c, tmp.resolve("relay-" + port),
                                Map.of("org.tandemrc.webconnect.relay.cfg", relayCfg), "relay", "--listen", SERVICE + ":" + port);
                        nodes.add(relay);
                        relays.put(port, relay);
                    }
                    account(a);
                    try (NodeProcess host = host(h, "pc-on-a", null, 6590, null)) {
                        // The Guest asks manager B for the Host that keeps its connection to manager A.
                        Homes.write(tmp.resolve("guest-home"), Map.of("org.tandemrc.profile-wc.cfg", profile(6592, null)));
                        byte[] data = new byte[48 << 20];
                        new Random(11).nextBytes(data);
                        Path file = Files.write(tmp.resolve("big.bin"), data);
                        CompletableFuture<NodeProcess.Result> copy = CompletableFuture.supplyAsync(() -> {
                            try {
                                return NodeProcess.runIn(g, null, NodeProcess.guestArgs(tmp, PASSWORD, "copy",
                                        file.toString(), "webconnect:pc-on-a:/share"));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        // Kill (SIGKILL) the relay that carries the transfer once a quarter of it is through.
                        Path partial = tmp.resolve("host-pc-on-a/share");
                        int killed = 0;
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (killed == 0 && System.nanoTime() < deadline && !copy.isDone()) {
                            if (largestFile(partial) > data.length / 4) {
                                for (Map.Entry<Integer, NodeProcess> r : relays.entrySet()) {
                                    if (established(c, r.getKey()) > 0) {
                                        r.getValue().process().destroyForcibly().waitFor();
                                        killed = r.getKey();
                                        break;
                                    }
                                }
                            }
                            Thread.sleep(20);
                        }
                        assertTrue(killed != 0, "no relay was seen carrying the transfer");
                        NodeProcess.Result r = copy.get(180, TimeUnit.SECONDS);
                        assertEquals(0, r.status(), r.out() + r.err());
                        assertArrayEquals(data, Files.readAllBytes(partial.resolve("big.bin")),
                                "the file on the Host differs after the relay died");
                        int survivors = 0;
                        for (int port : relays.keySet()) {
                            if (port != killed) {
                                survivors += relays.get(port).process().isAlive() ? 1 : 0;
                            }
                        }
                        assertEquals(2, survivors);
                    }
                } finally {
                    for (NodeProcess n : nodes) {
                        n.close();
                    }
                }
            }
        }
    }

    /** {@code curl ARGS} in {@code ns}: what it wrote to stdout; fails unless curl exits 0. */
    private static String curlIn(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "curl", "-sS", "--fail", "--max-time", "60"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(70, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, p.exitValue(), "curl " + args[args.length - 1] + ": " + out);
        return out;
    }

    @Test
    void theSupportPageOffersTheTemporaryHostWithTheCodeOfASessionOverTheSelfSignedCertificate() throws Exception {
        try (Netns net = new Netns("wpg")) {
            String c = net.add("c");
            Netns.ip("-n", c, "addr", "add", SERVICE + "/32", "dev", "lo");
            Path home = tmp.resolve("manager");
            Path script = file("tandem-support-host-linux-x64.sh", "#!/bin/sh\npreset=''\necho the payload");
            // The control port without TLS: the page still serves HTTPS, with the certificate made for TLS.
            try (NodeProcess manager = service(c, home, Map.of("org.tandemrc.webconnect.manager.cfg", "support.page = "
                    + SERVICE + ":8443\nsupport.download = " + script + "\n"), "manager", "--listen", SERVICE + ":6590",
                    "--no-relay")) {
                account(home);
                NodeProcess.Result r = NodeProcess.run("admin", "--home", home.toString(), "webconnect", "support", "new",
                        "acme", "--supporter", "Ann <b>Helper</b>");
                assertEquals(0, r.status(), r.out() + r.err());
                java.util.regex.Matcher link = java.util.regex.Pattern.compile(
                        "the person's link: (https://10\\.208\\.0\\.1:8443/s/[A-Za-z0-9_-]{22})").matcher(r.out());
                java.util.regex.Matcher code = java.util.regex.Pattern.compile("support-code = (\\d{9})").matcher(r.out());
                assertTrue(link.find() && code.find(), r.out());
                String cert = home.resolve("data/webconnect-tls.crt").toString();
                String page = curlIn(c, "--cacert", cert, link.group(1));
                assertTrue(page.contains("Ann &lt;b&gt;Helper&lt;/b&gt;</strong> (account acme) will help you."), page);
                String download = curlIn(c, "--cacert", cert, link.group(1) + "/tandem-support-host-linux-x64.sh");
                assertEquals("#!/bin/sh\npreset='code=" + code.group(1) + ";manager=tcp:" + SERVICE
                        + ":6590'\necho the payload\n", download);
            }
        }
    }

    /** The size of the largest file under {@code dir} (a transfer in progress writes a partial file). */
    private static long largestFile(Path dir) throws Exception {
        long max = 0;
        try (var files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    try {
                        max = Math.max(max, Files.size(p));
                    } catch (java.nio.file.NoSuchFileException e) {
                        // renamed into place meanwhile
                    }
                }
            }
        }
        return max;
    }

    /** How many established TCP connections the relay on {@code port} in {@code ns} has. */
    private static int established(String ns, int port) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ss", "-Htn", "state", "established",
                "( sport = :" + port + " )").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }
}
