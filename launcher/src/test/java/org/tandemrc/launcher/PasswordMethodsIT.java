package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.auth.ldap.testing.Slapd;
import org.tandemrc.auth.pam.testing.LocalAccounts;

/**
 * Hosts whose access method needs the password itself, and real Guests: the directory (feature auth-ldap,
 * a real slapd) and the Host machine's own accounts (feature auth-pam, real users the test creates). The
 * password travels to the Host inside the connection and the method decides; its groups give the role.
 */
class PasswordMethodsIT {

    @TempDir
    Path tmp;

    /** Relaxed logon limits: this test fails many logons from one address on purpose. */
    static final String LIMITS = "max.attempts = 0\nlogon.address.hour = 1000\nlogon.address.burst = 100\n";

    private NodeProcess.Result guest(String address, String user, String password, String... more) throws Exception {
        Path pw = tmp.resolve("pw-" + Integer.toHexString(password.hashCode()));
        Files.writeString(pw, password + "\n");
        List<String> all = new ArrayList<>(List.of("guest", "connect", address, "--guest-id", user, "--password-file",
                pw.toString(), "--home", tmp.resolve("guest-home").toString()));
        all.addAll(List.of(more));
        return NodeProcess.run(all.toArray(String[]::new));
    }

    @Test
    void theDirectoryDecidesWhoLogsOnAndItsGroupsGiveTheRole() throws Exception {
        try (Slapd slapd = Slapd.start(tmp.resolve("slapd"))) {
            slapd.loadPeople();
            Path home = tmp.resolve("host");
            try (NodeProcess host = NodeProcess.host(home, Files.writeString(tmp.resolve("shared"), "unused shared\n"),
                    Map.of(), false, Map.of(
                            "node.properties", "features = comm-tcp, sessions, terminal, log-file, auth-ldap\n",
                            "org.tandemrc.host.security.cfg", "method = ldap\n" + LIMITS,
                            "org.tandemrc.auth.ldap.cfg", "url = " + slapd.url() + "\nuser.dn = uid={0},"
                                    + Slapd.PEOPLE + "\nrole.map = tandem-admins=Full access, helpdesk=View only\n"))) {
                String address = host.tcpAddress();
                NodeProcess.Result r = guest(address, "alice", "alice-pw");
                assertEquals(0, r.status(), host.output() + "\n" + r.out() + r.err());
                assertTrue(r.out().contains("role        Full access"), r.out());
                r = guest(address, "alice", "alice-pw", "--otp", "123456");
                assertEquals(0, r.status(), "a code the Host does not ask for is not in the way: " + r.out() + r.err());
                r = guest(address, "bob", "bob-pw");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("role        View only"), r.out());

                // Outside every mapped group, locked, a wrong password, names that try to reach another entry.
                for (String[] refused : new String[][] {{"carol", "carol-pw"}, {"dave", "dave-pw"},
                    {"alice", "Tr0ub4dor&3"}, {"zed", "zed-pw"}, {"admin,ou=x", "admin-pw"}, {"*)(uid=*", "alice-pw"},
                    {"*", "alice-pw"}}) {
                    r = guest(address, refused[0], refused[1]);
                    assertEquals(5, r.status(), refused[0] + ": " + r.out() + r.err());
                    assertTrue(r.err().contains("logon failed: wrong Guest ID or password"), r.err());
                }
                String events = Homes.events(home);
                assertTrue(events.contains("HSES+") && events.contains("logged on with role Full access"), events);
                assertNoPassword(home, host, "alice-pw", "Tr0ub4dor&3", "dave-pw", "admin-pw");
            }
        }
    }

    @Test
    void anAccountOfTheHostMachineLogsOnThroughPam() throws Exception {
        try (LocalAccounts accounts = new LocalAccounts()) {
            PamUsers users = PamUsers.make(accounts);
            String admins = users.admins();
            String erin = users.erin();
            String frank = users.frank();
            String gina = users.gina();
            Path home = tmp.resolve("host");
            try (NodeProcess host = NodeProcess.host(home, Files.writeString(tmp.resolve("shared"), "unused shared\n"),
                    Map.of(), false, Map.of(
                            "node.properties", "features = comm-tcp, sessions, terminal, log-file, auth-pam\n",
                            "org.tandemrc.host.security.cfg", "method = pam\n" + LIMITS,
                            "org.tandemrc.auth.pam.cfg", "service = " + accounts.service() + "\nrole.map = " + admins
                                    + "=Full access\n"))) {
                String address = host.tcpAddress();
                NodeProcess.Result r = guest(address, erin, "erin pässword");
                assertEquals(0, r.status(), host.output() + "\n" + r.out() + r.err());
                assertTrue(r.out().contains("role        Full access"), r.out());
                for (String[] refused : new String[][] {{erin, "Tr0ub4dor&3"}, {frank, "frank-pw"}, {gina, "gina-pw"}}) {
                    r = guest(address, refused[0], refused[1]);
                    assertEquals(5, r.status(), refused[0] + ": " + r.out() + r.err());
                    assertTrue(r.err().contains("logon failed: wrong Guest ID or password"), r.err());
                }
                assertNoPassword(home, host, "erin pässword", "Tr0ub4dor&3", "gina-pw");
            }
        }
    }

    /**
     * The local accounts the PAM tests log on with: erin ("erin pässword") in the group admins, frank
     * ("frank-pw") in no group of its own, gina ("gina-pw") in admins and locked.
     */
    record PamUsers(String admins, String erin, String frank, String gina) {

        static PamUsers make(LocalAccounts accounts) throws Exception {
            String admins = accounts.group("admins");
            String gina = accounts.user("gina", "gina-pw", admins);
            accounts.lock(gina);
            return new PamUsers(admins, accounts.user("erin", "erin pässword", admins), accounts.user("frank", "frank-pw"),
                    gina);
        }
    }

    /** No password in the node's output nor in any of its logs (events, tandem.log). */
    static void assertNoPassword(Path home, NodeProcess host, String... passwords) throws Exception {
        List<Path> logs;
        try (var files = Files.walk(home.resolve("data/log"))) {
            logs = files.filter(Files::isRegularFile).toList();
        }
        assertFalse(logs.isEmpty(), "the node keeps logs");
        for (String password : passwords) {
            assertFalse(host.output().contains(password), "a password in the node's output");
            for (Path log : logs) {
                assertFalse(Files.readString(log).contains(password), "a password in " + log);
            }
        }
    }
}
