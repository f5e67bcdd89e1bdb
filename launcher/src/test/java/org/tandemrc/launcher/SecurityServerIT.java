package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.SecurityServers.LIMITS;
import static org.tandemrc.launcher.SecurityServers.lines;
import static org.tandemrc.launcher.SecurityServers.pending;
import static org.tandemrc.launcher.SecurityServers.until;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.auth.ldap.testing.Slapd;
import org.tandemrc.support.otp.Totp;

/**
 * {@code tandem security-server} as an administrator meets it: it starts with its embedded database,
 * prints the key nodes pin, and {@code tandem admin security} manages its Guest IDs (the password typed on
 * the input), rules and one-time codes, each change an event in the log; and a whole deployment of real
 * processes: a Security Server with a real OpenLDAP behind it, a Host that delegates its Guests' logons
 * to it and sends it its events, and real Guests.
 */
class SecurityServerIT {

    @TempDir
    Path tmp;

    @Test
    void anAdministratorSetsUpASecurityServer() throws Exception {
        int port = ConsoleIT.freePort();
        Path home = tmp.resolve("security");
        Map<String, String> etc = new LinkedHashMap<>(Homes.defaults());
        etc.put("node.properties", "features = log-file\n");
        etc.put("org.tandemrc.security.server.cfg", "name = central\n");
        Homes.write(home, etc);
        try (NodeProcess node = SecurityServers.start(null, home, "tcp:127.0.0.1:" + port)) {
            assertTrue(node.output().contains("listening  tcp:127.0.0.1:" + port), node.output());
            NodeProcess.Result r = NodeProcess.admin(home, "security", "status");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains(SecurityServers.key(node)) && r.out().contains("jdbc:h2:"), r.out());

            r = NodeProcess.runWithInput("correct horse\n", "admin", "--home", home.toString(), "security", "guests",
                    "add", "bob", "--group", "ops", "admins");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("Guest ID bob added"), r.out());
            r = NodeProcess.admin(home, "security", "rules", "add", "--guest", "group:ops", "--host", "db-*", "--role",
                    "Full access");
            assertEquals(0, r.status(), r.err());
            r = NodeProcess.admin(home, "security", "rules", "add", "--guest", "*", "--host", "*", "--role", "View only",
                    "--position", "1");
            assertEquals(0, r.status(), r.err());
            r = NodeProcess.admin(home, "security", "rules", "list");
            assertTrue(r.out().contains("1  guest *  host *  role View only")
                    && r.out().contains("2  guest group:ops  host db-*  role Full access"), r.out());

            r = NodeProcess.admin(home, "security", "otp", "enroll", "bob");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("otpauth://totp/Tandem:bob?secret=") && r.out().contains("█"), r.out());
            r = NodeProcess.admin(home, "security", "otp", "require", "bob", "on");
            assertEquals(0, r.status(), r.err());
            r = NodeProcess.admin(home, "security", "guests", "list");
            assertTrue(r.out().contains("bob  groups admins,ops  one-time code required"), r.out());

            r = NodeProcess.admin(home, "security", "nodes", "approve", "SHA256:nobody");
            assertEquals(2, r.status(), r.out());
            assertTrue(r.err().contains("no node with the key SHA256:nobody"), r.err());
            String events = Homes.events(home);
            assertTrue(events.contains("TSECSS*") && events.contains("Guest ID added bob groups ops,admins")
                    && events.contains("one-time code required for bob"), events);
            assertTrue(!events.contains("correct horse"), "no password in the log");
        }
    }

    private NodeProcess.Result guest(String address, String user, String password, String... more) throws Exception {
        Path pw = Files.writeString(tmp.resolve("pw-" + Integer.toHexString(password.hashCode())), password + "\n");
        List<String> all = new ArrayList<>(List.of("guest", "connect", address, "--guest-id", user, "--password-file",
                pw.toString(), "--home", tmp.resolve("guest-home").toString()));
        all.addAll(List.of(more));
        return NodeProcess.run(all.toArray(String[]::new));
    }

    @Test
    void aHostDelegatesItsGuestsLogonsAndSendsItsEventsToTheSecurityServer() throws Exception {
        int port = ConsoleIT.freePort();
        Path ssHome = tmp.resolve("security");
        Path hostHome = tmp.resolve("host");
        try (Slapd slapd = Slapd.start(tmp.resolve("slapd"))) {
            slapd.loadPeople();
            Map<String, String> etc = new LinkedHashMap<>(Homes.defaults());
            etc.put("node.properties", "features = log-file, auth-ldap\n");
            etc.put("org.tandemrc.security.server.cfg", "name = central\ndirectory = ldap\n" + LIMITS);
            etc.put("org.tandemrc.auth.ldap.cfg", "url = " + slapd.url() + "\nuser.dn = uid={0}," + Slapd.PEOPLE
                    + "\ngroup.base = " + Slapd.GROUPS + "\ngroup.filter = (member={dn})\n");
            Homes.write(ssHome, etc);
            NodeProcess ss = SecurityServers.start(null, ssHome, "tcp:127.0.0.1:" + port);
            try {
                String key = SecurityServers.key(ss);
                NodeProcess.Result r = NodeProcess.runWithInput("ops password\n", "admin", "--home", ssHome.toString(),
                        "security", "guests", "add", "opsie", "--group", "ops");
                assertEquals(0, r.status(), r.out() + r.err());
                r = NodeProcess.runWithInput("erin password\n", "admin", "--home", ssHome.toString(), "security",
                        "guests", "add", "erin", "--group", "ops");
                assertEquals(0, r.status(), r.out() + r.err());
                for (String[] rule : new String[][] {{"group:ops", "db-*", "Full access"},
                    {"group:tandem-admins", "*", "Full access"}, {"group:helpdesk", "group:servers", "View only"}}) {
                    r = NodeProcess.admin(ssHome, "security", "rules", "add", "--guest", rule[0], "--host", rule[1],
                            "--role", rule[2]);
                    assertEquals(0, r.status(), r.out() + r.err());
                }

                // The Host pins the server's key; its own key waits for the administrator's approval.
                try (NodeProcess host = NodeProcess.host(hostHome, Files.writeString(tmp.resolve("shared"),
                        "an unused shared password\n"), Map.of(), false, Map.of(
                                "node.properties", "features = comm-tcp, sessions, terminal, log-file, security-client\n",
                                "org.tandemrc.host.security.cfg", "method = security-server\nfallback = refuse\n"
                                        + "max.attempts = 0\n" + LIMITS,
                                "org.tandemrc.security.client.cfg", SecurityServers.client("tcp:127.0.0.1:" + port, key,
                                        "host")))) {
                    String address = host.tcpAddress();
                    String hostKey = pending(ssHome, "host");
                    r = guest(address, "opsie", "ops password");
                    assertEquals(3, r.status(), "a Host not approved yet logs nobody on: " + r.out() + r.err());
                    assertTrue(r.err().contains("the Host cannot check logons at the moment"), r.err());
                    assertFalse(r.err().contains(String.valueOf(port)), "the Guest learns where the server is: " + r.err());
                    r = NodeProcess.admin(ssHome, "security", "nodes", "approve", hostKey, "--name", "db-1",
                            "--group", "servers");
                    assertEquals(0, r.status(), r.out() + r.err());
                    until(hostHome, x -> x.status() == 0, "security-client", "status");

                    // A central Guest ID (SRP: the password never leaves the Guest) and directory users.
                    r = guest(address, "opsie", "ops password");
                    assertEquals(0, r.status(), host.output() + r.out() + r.err());
                    assertTrue(r.out().contains("role        Full access"), r.out());
                    r = guest(address, "alice", "alice-pw");
                    assertEquals(0, r.status(), r.out() + r.err());
                    assertTrue(r.out().contains("role        Full access"), r.out());
                    r = guest(address, "bob", "bob-pw");
                    assertEquals(0, r.status(), r.out() + r.err());
                    assertTrue(r.out().contains("role        View only"), r.out());
                    // No rule for carol's groups, dave locked in the directory, wrong passwords, unknown names.
                    for (String[] refused : new String[][] {{"carol", "carol-pw"}, {"dave", "dave-pw"},
                        {"opsie", "not the password"}, {"alice", "bob-pw"}, {"nobody", "x-pw"}}) {
                        r = guest(address, refused[0], refused[1]);
                        assertEquals(5, r.status(), refused[0] + ": " + r.out() + r.err());
                    }

                    // A one-time code: required, wrong, right, and the same code again.
                    r = NodeProcess.admin(ssHome, "security", "otp", "enroll", "erin");
                    Matcher secret = Pattern.compile("secret=([A-Z2-7]+)").matcher(r.out());
                    assertTrue(secret.find(), r.out());
                    assertEquals(0, NodeProcess.admin(ssHome, "security", "otp", "require", "erin", "on").status());
                    r = guest(address, "erin", "erin password");
                    assertEquals(5, r.status(), r.out() + r.err());
                    assertTrue(r.err().contains("one-time code"), r.err());
                    Totp totp = Totp.of(Totp.fromBase32(secret.group(1)));
                    long step = Totp.step(Instant.now().getEpochSecond());
                    String wrong = totp.code(step + 5);
                    r = guest(address, "erin", "erin password", "--otp", wrong);
                    assertEquals(5, r.status(), r.out() + r.err());
                    String code = totp.code(Totp.step(Instant.now().getEpochSecond()));
                    r = guest(address, "erin", "erin password", "--otp", code);
                    assertEquals(0, r.status(), r.out() + r.err());
                    r = guest(address, "erin", "erin password", "--otp", code);
                    assertEquals(5, r.status(), "a code is good once: " + r.out() + r.err());

                    // The Host's events reach the server's trail, named by the approved name.
                    r = until(ssHome, x -> x.out().contains("erin"), "audit", "search", "--node", "db-1", "--code",
                            "TSECSS", "--limit", "1000");
                    String ssLog = Files.readString(ssHome.resolve("data/log/tandem.log"));
                    assertTrue(ssLog.contains("TSECSS+") && ssLog.contains("TSECSS!"), ssLog);
                    assertNoPassword(ssHome, ss, "ops password", "alice-pw", "bob-pw", "dave-pw", "erin password");
                    assertNoPassword(hostHome, host, "ops password", "alice-pw", "bob-pw", "dave-pw", "erin password");

                    // The server goes away: the Host refuses as configured, says so, and keeps its events.
                    ss.close();
                    until(hostHome, x -> x.status() == 1, "security-client", "status");
                    for (int i = 0; i < 3; i++) {
                        r = guest(address, "opsie", "ops password");
                        assertEquals(3, r.status(), r.out() + r.err());
                        assertTrue(r.err().contains("the Host cannot check logons at the moment"), r.err());
                    }
                    ss = SecurityServers.start(null, ssHome, "tcp:127.0.0.1:" + port);
                    until(hostHome, x -> x.status() == 0, "security-client", "status");
                    String hostEvents = Homes.events(hostHome);
                    long fallbacks = lines(hostEvents, "TSECSSFB", "opsie");
                    // One before the approval, three while the server was away.
                    assertEquals(4, fallbacks, hostEvents);
                    // Delivered once: as many in the trail as the Host recorded, and again after a wait.
                    until(ssHome, x -> lines(x.out(), "TSECSSFB", "opsie") == fallbacks, "audit", "search", "--node",
                            "db-1", "--code", "TSECSSFB", "--limit", "1000");
                    Thread.sleep(3000);
                    r = NodeProcess.admin(ssHome, "audit", "search", "--node", "db-1", "--code", "TSECSSFB", "--limit",
                            "1000");
                    assertEquals(fallbacks, lines(r.out(), "TSECSSFB", "opsie"), r.out());
                    long hostRows = NodeProcess.admin(ssHome, "audit", "search", "--node", "db-1", "--limit", "100000")
                            .out().lines().count();
                    assertTrue(hostRows >= hostEvents.lines().count() - 5, hostRows + " rows for "
                            + hostEvents.lines().count() + " Host events:\n" + hostEvents);
                }

                // Supporters log on to a browser console through the same server: its rules for "console".
                for (String[] rule : new String[][] {{"group:tandem-admins", "administrator"}, {"user:opsie", "supporter"}}) {
                    r = NodeProcess.admin(ssHome, "security", "rules", "add", "--guest", rule[0], "--host", "console",
                            "--role", rule[1]);
                    assertEquals(0, r.status(), r.out() + r.err());
                }
                Path consoleHome = tmp.resolve("console");
                Map<String, String> consoleEtc = new LinkedHashMap<>(Homes.defaults());
                consoleEtc.put("node.properties", "features = log-file, security-client\n");
                consoleEtc.put("org.tandemrc.webconsole.cfg", "logon = security-server\n");
                consoleEtc.put("org.tandemrc.security.client.cfg", SecurityServers.client("tcp:127.0.0.1:" + port, key,
                        "console"));
                Homes.write(consoleHome, consoleEtc);
                int http = ConsoleIT.freePort();
                try (NodeProcess console = NodeProcess.start("console", "--home", consoleHome.toString(), "--http",
                        "127.0.0.1:" + http)) {
                    console.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
                    assertFalse(console.output().contains("#setup="), "no local first administrator: " + console.output());
                    assertEquals(0, NodeProcess.admin(ssHome, "security", "nodes", "approve", pending(ssHome, "console"),
                            "--name", "support-console").status());
                    until(consoleHome, x -> x.status() == 0, "security-client", "status");
                    String base = "http://127.0.0.1:" + http;
                    java.net.http.HttpResponse<String> login = post(base, "/api/login",
                            "{\"user\":\"alice\",\"password\":\"alice-pw\"}", "");
                    assertEquals(200, login.statusCode(), login.body());
                    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
                    java.net.http.HttpResponse<String> state = get(base, "/api/state", cookie);
                    assertTrue(state.body().contains("\"user\":\"alice\"") && state.body().contains(
                            "\"administrator\":true"), state.body());
                    login = post(base, "/api/login", "{\"user\":\"opsie\",\"password\":\"ops password\"}", "");
                    assertEquals(200, login.statusCode(), login.body());
                    state = get(base, "/api/state", login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0]);
                    assertTrue(state.body().contains("\"administrator\":false"), state.body());
                    for (String refused : new String[] {"{\"user\":\"carol\",\"password\":\"carol-pw\"}",
                        "{\"user\":\"alice\",\"password\":\"bob-pw\"}"}) {
                        login = post(base, "/api/login", refused, "");
                        assertEquals(400, login.statusCode(), login.body());
                        assertTrue(login.body().contains("wrong password or user name"), login.body());
                    }
                    assertTrue(Homes.events(consoleHome).contains("TCONLOGIN+"), Homes.events(consoleHome));
                }

                // The chain holds, and a row edited in the database is named.
                r = NodeProcess.admin(ssHome, "audit", "verify");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().startsWith("audit trail OK"), r.out());
                ss.close();
                try (Connection c = DriverManager.getConnection("jdbc:h2:" + ssHome.toAbsolutePath()
                        .resolve("data/security/security")); Statement st = c.createStatement()) {
                    assertEquals(1, st.executeUpdate("update ss_audit set detail = 'nothing happened' where id = 3"));
                }
                ss = SecurityServers.start(null, ssHome, "tcp:127.0.0.1:" + port);
                r = NodeProcess.admin(ssHome, "audit", "verify");
                assertEquals(1, r.status(), r.out() + r.err());
                assertTrue((r.out() + r.err()).contains("row 3 was changed"), r.out() + r.err());
            } finally {
                ss.close();
            }
        }
    }

    private static java.net.http.HttpResponse<String> post(String base, String path, String json, String cookie)
            throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + path)).header("Origin", base).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static java.net.http.HttpResponse<String> get(String base, String path, String cookie) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + path)).header("Cookie", cookie).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static void assertNoPassword(Path home, NodeProcess node, String... passwords) throws Exception {
        List<Path> files;
        try (var walk = Files.walk(home.resolve("data/log"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (String p : passwords) {
            assertFalse(node.output().contains(p), "the node printed a password");
            for (Path f : files) {
                assertFalse(Files.readString(f).contains(p), f + " holds a password");
            }
        }
    }
}
