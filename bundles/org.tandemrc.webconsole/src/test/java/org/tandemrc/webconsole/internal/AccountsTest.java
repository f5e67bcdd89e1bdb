package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.testing.MovedClock;

class AccountsTest {

    private static final Instant START = Instant.parse("2026-12-05T09:00:00Z");
    private static final String PW = "a good console password";

    @TempDir
    Path dir;

    private Logins logins(Clock clock) throws Exception {
        return new Logins(dir, clock, Duration.ofMinutes(30), Duration.ofHours(12));
    }

    /** The first administrator through the node's link, then a supporter through the link an administrator made. */
    @Test
    void theFirstAdministratorAddsASupporterWhoChoosesTheirOwnPassword() throws Exception {
        MovedClock clock = new MovedClock(START);
        Logins logins = logins(clock);
        List<AuditEvent> events = new ArrayList<>();
        logins.bindSink(events::add);
        assertEquals("", logins.setupFor(logins.setupToken()), "the node's link makes the first administrator");
        Logins.Login admin = logins.find(logins.setup(logins.setupToken(), "Alice", PW, "127.0.0.1"));
        assertEquals("alice", admin.account, "names are kept in lower case");
        assertTrue(logins.administrator(admin));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("accounts"))));

        String link = logins.add(admin, "bob", "supporter", "127.0.0.1");
        assertEquals("bob", logins.setupFor(link));
        assertFalse(Files.readString(dir.resolve("accounts")).contains(link), "only the token's hash is kept");
        assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                () -> logins.login("bob", "anything at all", "127.0.0.2")).getMessage(), "no password yet");
        assertThrows(Logins.Refused.class, () -> logins.add(admin, "BOB", "supporter", "127.0.0.1"));
        Logins.Login bob = logins.find(logins.setup(link, "ignored", "bob's own password", "127.0.0.2"));
        assertEquals("bob", bob.account);
        assertFalse(logins.administrator(bob));
        assertThrows(Logins.Refused.class, () -> logins.setupFor(link), "a link works once");
        assertNotNull(logins.find(logins.login("bob", "bob's own password", "127.0.0.2")));

        // A restart keeps both accounts and makes no setup link.
        Logins again = logins(clock);
        assertNull(again.setupToken());
        assertNotNull(again.find(again.login("alice", PW, "127.0.0.1")));
        assertNotNull(again.find(again.login("bob", "bob's own password", "127.0.0.2")));

        // Bob changes his password: the old one no longer works, his other browsers are logged out.
        String bobsOtherBrowser = logins.login("bob", "bob's own password", "127.0.0.2");
        assertThrows(Logins.Refused.class, () -> logins.changePassword(bob, "not the password", "a new password 1", "x"));
        logins.changePassword(bob, "bob's own password", "a new password 1", "127.0.0.2");
        assertNull(logins.find(bobsOtherBrowser));
        assertNotNull(logins.find(logins.login("bob", "a new password 1", "127.0.0.2")));

        // A link expires.
        String late = logins.add(admin, "carol", "supporter", "127.0.0.1");
        clock.advance(Logins.LINK_VALIDITY.plusMinutes(1));
        assertTrue(assertThrows(Logins.Refused.class, () -> logins.setup(late, "", PW, "127.0.0.3")).getMessage()
                .contains("expired"));
        assertTrue(events.stream().anyMatch(e -> e.code().equals("TCONACCT*") && e.user().equals("alice")
                && e.detail().equals("added bob as supporter")), events.toString());
    }

    @Test
    void disabledDeletedAndResetAccountsAreRefusedAndTheLastAdministratorStays() throws Exception {
        Logins logins = logins(new MovedClock(START));
        Logins.Login admin = logins.find(logins.setup(logins.setupToken(), "alice", PW, "127.0.0.1"));
        Logins.Login bob = logins.find(logins.setup(logins.add(admin, "bob", "supporter", "x"), "", "bob's own password", "x"));

        // The only administrator can neither go nor stop being one.
        for (Logins.Change c : List.of(Logins.Change.DISABLE, Logins.Change.DELETE, Logins.Change.RESET)) {
            assertTrue(assertThrows(Logins.Refused.class, () -> logins.change(admin, c, "alice", "", "x")).getMessage()
                    .startsWith("the console keeps at least one enabled administrator"), c.name());
        }
        assertThrows(Logins.Refused.class, () -> logins.change(admin, Logins.Change.ROLE, "alice", "supporter", "x"));
        assertNotNull(logins.find(logins.login("alice", PW, "127.0.0.1")), "alice is still administrator");

        // Disabled: the login ends at once, the right password is refused, the wrong one answers as always.
        String bobsCookie = logins.login("bob", "bob's own password", "127.0.0.2");
        logins.change(admin, Logins.Change.DISABLE, "bob", "", "x");
        assertNull(logins.find(bobsCookie));
        assertTrue(assertThrows(Logins.Refused.class, () -> logins.login("bob", "bob's own password", "127.0.0.2"))
                .getMessage().contains("disabled"));
        assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                () -> logins.login("bob", "a wrong password", "127.0.0.3")).getMessage());
        logins.change(admin, Logins.Change.ENABLE, "bob", "", "x");
        assertNotNull(logins.find(logins.login("bob", "bob's own password", "127.0.0.2")));

        // With a second administrator, the first may step down.
        logins.change(admin, Logins.Change.ROLE, "bob", "administrator", "x");
        assertTrue(logins.administrator(bob));
        logins.change(admin, Logins.Change.ROLE, "alice", "supporter", "x");
        assertFalse(logins.administrator(admin));

        // Reset: the password ends, a new link sets another.
        String link = logins.change(bob, Logins.Change.RESET, "alice", "", "x");
        assertNotNull(link);
        assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class, () -> logins.login("alice", PW, "127.0.0.4"))
                .getMessage());
        assertNotNull(logins.find(logins.setup(link, "", "alice's second password", "127.0.0.1")));

        logins.change(bob, Logins.Change.DELETE, "alice", "", "x");
        assertEquals(List.of("bob"), logins.accounts().stream().map(m -> m.get("name")).toList());
        assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                () -> logins.login("alice", "alice's second password", "127.0.0.5")).getMessage());
    }

    /**
     * A wrong user name and a wrong password must not be told apart, by the answer or by the time it
     * takes: medians over several tries each, interleaved so load on the machine hits both alike.
     */
    @Test
    void aWrongUserNameAndAWrongPasswordAnswerAlikeInTheSameTime() throws Exception {
        Logins logins = logins(Clock.systemUTC());
        logins.setup(logins.setupToken(), "alice", PW, "127.0.0.1");
        int tries = 6;
        long[] wrongName = new long[tries];
        long[] wrongPassword = new long[tries];
        for (int i = 0; i < tries; i++) {
            // One address per try: the per-address limits must not answer in their place.
            int n = i;
            long t0 = System.nanoTime();
            assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                    () -> logins.login("nobody-here", PW, "192.0.2.1" + n)).getMessage());
            long t1 = System.nanoTime();
            assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                    () -> logins.login("alice", "not the password", "192.0.2.2" + n)).getMessage());
            long t2 = System.nanoTime();
            wrongName[i] = t1 - t0;
            wrongPassword[i] = t2 - t1;
        }
        Arrays.sort(wrongName);
        Arrays.sort(wrongPassword);
        double name = wrongName[tries / 2] / 1e6;
        double password = wrongPassword[tries / 2] / 1e6;
        System.out.printf("median time of a wrong user name %.1f ms, of a wrong password %.1f ms%n", name, password);
        // Without the decoy hash an unknown name answers in well under a millisecond against ~100 ms.
        assertTrue(name > password / 3 && name < password * 3, "wrong name " + name + " ms, wrong password " + password
                + " ms");
    }

    @Test
    void anEarlierSinglePasswordStoreBecomesAnAdministratorAccount() throws Exception {
        String stored = new Accounts(dir.resolve("scratch")).encode("the old console password");
        Files.writeString(dir.resolve("login"), stored + "\n");
        Logins logins = logins(new MovedClock(START));
        assertNull(logins.setupToken(), "no setup link: the old password still guards the console");
        String name = Accounts.defaultName();
        Logins.Login login = logins.find(logins.login(name, "the old console password", "127.0.0.1"));
        assertTrue(logins.administrator(login), name);
        assertFalse(Files.exists(dir.resolve("login")));
        assertEquals(stored, Files.readString(dir.resolve("login.migrated")).trim());
    }

    @Test
    void namesAreCheckedAndDefaultToTheOsUserOrAdmin() throws Exception {
        assertEquals("bob.smith@corp", Accounts.checkName(" Bob.Smith@Corp "));
        for (String bad : List.of("", ".x", "-x", "a/b", "a b", "x".repeat(65), "..")) {
            assertThrows(Logins.Refused.class, () -> Accounts.checkName(bad), bad);
        }
        String user = System.getProperty("user.name");
        try {
            System.setProperty("user.name", "Root Of All");
            assertEquals("admin", Accounts.defaultName());
            System.setProperty("user.name", "Jane");
            assertEquals("jane", Accounts.defaultName());
        } finally {
            System.setProperty("user.name", user);
        }
    }

    @Test
    void onlyAnAdministratorReachesTheAccountRequests() throws Exception {
        Logins logins = logins(new MovedClock(START));
        String adminCookie = logins.setup(logins.setupToken(), "alice", PW, "127.0.0.1");
        Logins.Login admin = logins.find(adminCookie);
        String bobCookie = logins.setup(logins.add(admin, "bob", "supporter", "x"), "", "bob's own password", "x");
        GuardFilter guard = new GuardFilter(logins);
        for (String route : Api.ROUTES.stream().filter(r -> r.contains(" /api/accounts")).toList()) {
            String[] r = route.split(" ");
            assertEquals("only an administrator of the console manages its accounts",
                    guard.verdict(request(r[0], r[1], logins.find(bobCookie).csrf, bobCookie)), route);
            assertNull(guard.verdict(request(r[0], r[1], admin.csrf, adminCookie)), route);
        }
        assertNull(guard.verdict(request("GET", "/api/history", logins.find(bobCookie).csrf, bobCookie)));
        assertNull(guard.verdict(request("POST", "/api/setup/who", null, null)), "the setup form asks whom a link is for");
        assertNotEquals(0, Api.ROUTES.stream().filter(r -> r.contains(" /api/accounts")).count());
    }

    private static HttpServletRequest request(String method, String path, String csrf, String cookie) {
        Map<String, String> headers = new HashMap<>(Map.of("Host", "127.0.0.1:6580", "Origin", "http://127.0.0.1:6580"));
        if (csrf != null) {
            headers.put(GuardFilter.CSRF_HEADER, csrf);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(AccountsTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> path;
                    case "getHeader" -> headers.get((String) a[0]);
                    case "getCookies" -> cookie == null ? null : new Cookie[] {new Cookie(Logins.COOKIE, cookie)};
                    default -> null;
                });
    }
}
