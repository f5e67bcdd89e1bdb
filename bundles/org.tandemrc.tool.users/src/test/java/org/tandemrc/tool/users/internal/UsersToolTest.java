package org.tandemrc.tool.users.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/**
 * Local Users and Groups on this machine: real accounts named {@code tandemtest...} made and removed through
 * the tool (the tests need root, as the tool does), and made-up account files at the bounds.
 */
class UsersToolTest {

    /** Names no real account has: the prefix and this JVM's pid. */
    private static final String PREFIX = "tandemtest" + ProcessHandle.current().pid() % 100_000;
    private final List<String> users = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void removeWhatTheTestMade() throws Exception {
        for (String u : users) {
            exec("/usr/sbin/userdel", "--remove", "--", u);
        }
        for (String g : groups) {
            exec("/usr/sbin/groupdel", "--", g);
        }
    }

    private static int exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing accounts needs root");
    }

    private static String invoke(String op, Map<String, String> arguments) throws ToolException {
        return ((Result.Message) new UsersTool().invoke(op, arguments)).text();
    }

    private static Optional<List<String>> userRow(String user) throws ToolException {
        return ((Result.Table) new UsersTool().invoke("users", Map.of())).rows().stream()
                .filter(r -> r.get(0).equals(user)).findFirst();
    }

    @Test
    void aUserIsAddedLockedUnlockedPutInAGroupTakenOutAndRemoved() throws Exception {
        assumeRoot();
        String user = PREFIX + "a";
        String group = PREFIX + "g";
        users.add(user);
        groups.add(group);
        assertEquals(0, exec("/usr/sbin/groupadd", "--", group));

        assertEquals("User " + user + " added with a home folder.",
                invoke("add", Map.of("user", user, "fullName", "Test Person, Room 1", "createHome", "true")));
        List<String> row = userRow(user).orElseThrow(() -> new AssertionError(user + " is not listed"));
        assertEquals("Test Person", row.get(3));
        assertEquals("/home/" + user, row.get(4));
        assertTrue(Files.isDirectory(Path.of("/home/" + user)));
        assertTrue(Long.parseLong(row.get(1)) >= UsersTool.UID_MIN);
        ToolException twice = assertThrows(ToolException.class, () -> invoke("add", Map.of("user", user)));
        assertEquals("there is a user " + user + " already", twice.getMessage());

        assertEquals("true", userRow(user).get().get(6), "a new account has no password: locked");
        ToolException noPassword = assertThrows(ToolException.class, () -> invoke("unlock", Map.of("user", user)));
        assertTrue(noPassword.getMessage().startsWith("user " + user + " is still locked: usermod: unlocking"),
                noPassword.getMessage());
        assertEquals(0, exec("/bin/sh", "-c", "echo '" + user + ":Tandem-test-1' | /usr/sbin/chpasswd"));
        assertEquals("false", userRow(user).get().get(6));
        assertEquals("User " + user + " locked: the password no longer logs on.", invoke("lock", Map.of("user", user)));
        assertEquals("true", userRow(user).get().get(6));
        assertEquals("User " + user + " unlocked.", invoke("unlock", Map.of("user", user)));
        assertEquals("false", userRow(user).get().get(6));

        assertEquals("User " + user + " added to group " + group + ".", invoke("join", Map.of("user", user, "group", group)));
        assertEquals(group, userRow(user).get().get(7));
        List<String> g = ((Result.Table) new UsersTool().invoke("groups", Map.of())).rows().stream()
                .filter(r -> r.get(0).equals(group)).findFirst().orElseThrow();
        assertEquals(user, g.get(2));
        assertThrows(ToolException.class, () -> invoke("join", Map.of("user", user, "group", group)));
        assertEquals("User " + user + " removed from group " + group + ".", invoke("leave", Map.of("user", user, "group", group)));
        assertEquals("", userRow(user).get().get(7));

        assertEquals("User " + user + " removed with the home folder.",
                invoke("remove", Map.of("user", user, "removeHome", "true")));
        assertTrue(userRow(user).isEmpty());
        assertFalse(Files.exists(Path.of("/home/" + user)));
        ToolException gone = assertThrows(ToolException.class, () -> invoke("remove", Map.of("user", user)));
        assertEquals("there is no user " + user, gone.getMessage());
    }

    @Test
    void hostileNamesAreRefusedBeforeAnyToolRuns() throws Exception {
        String made = PREFIX + "x";
        users.add(made);
        for (String bad : List.of("", "-o", "--help", "-r" + made, "Root", "a b", made + ";id", made + "\n",
                "../" + made, made + ":0", "$(id)", "x".repeat(40), "\u00e9t\u00e9", made + "\0")) {
            for (String op : List.of("add", "remove", "lock", "unlock")) {
                ToolException e = assertThrows(ToolException.class, () -> invoke(op, Map.of("user", bad)), op + " " + bad);
                assertTrue(e.getMessage().contains("is not a user name"), e.getMessage());
            }
            assertThrows(ToolException.class, () -> invoke("join", Map.of("user", "root", "group", bad)), bad);
        }
        for (String full : List.of("a:b", "line\nbreak", "tab\there", "x".repeat(101))) {
            ToolException e = assertThrows(ToolException.class,
                    () -> invoke("add", Map.of("user", made, "fullName", full)), full);
            assertTrue(e.getMessage().contains("full name"), e.getMessage());
        }
        assertTrue(userRow(made).isEmpty(), "nothing was added");
    }

    @Test
    void theSystemsOwnAccountsAndTheNodesAreNotChanged() throws Exception {
        for (String op : List.of("remove", "lock", "unlock")) {
            ToolException e = assertThrows(ToolException.class, () -> invoke(op, Map.of("user", "root")));
            assertTrue(e.getMessage().contains("system's own accounts"), e.getMessage());
            e = assertThrows(ToolException.class, () -> invoke(op, Map.of("user", "nobody")));
            assertTrue(e.getMessage().contains("system's own accounts"), e.getMessage());
        }
    }

    @Test
    void madeUpAccountFilesAreReadWithinBounds() throws Exception {
        Files.writeString(tmp.resolve("passwd"), "alice:x:1001:1001:Alice A,,,:/home/alice:/bin/bash\n"
                + "# comment\nbroken line\nbad:x:uid:1:::\n" + "u:x:2000:2000::/:/bin/sh\n".repeat(20_000));
        Files.writeString(tmp.resolve("group"), "alice:x:1001:\nstaff:x:50:alice,bob\n");
        Files.writeString(tmp.resolve("shadow"), "alice:!$6$xyz:19000:0:99999:7:::\n");
        Result.Table t = (Result.Table) new UsersTool(tmp).invoke("users", Map.of());
        // the bound counts lines read, the malformed one among them
        assertEquals(UsersTool.MAX_ROWS - 1, t.rows().size());
        assertEquals(List.of("alice", "1001", "alice", "Alice A", "/home/alice", "/bin/bash", "true", "staff"), t.rows().get(0));
        assertEquals(List.of("2000", "", ""), List.of(t.rows().get(1).get(2), t.rows().get(1).get(6), t.rows().get(1).get(7)));
        Result.Table g = (Result.Table) new UsersTool(tmp).invoke("groups", Map.of());
        assertEquals(List.of(List.of("alice", "1001", ""), List.of("staff", "50", "alice, bob")), g.rows());
    }

    @Test
    void aHostWithoutAccountFilesRefusesWithTheReason() {
        ToolException e = assertThrows(ToolException.class, () -> new UsersTool(tmp.resolve("none")).invoke("users", Map.of()));
        assertTrue(e.getMessage().contains("cannot be listed"), e.getMessage());
    }
}
