package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.MovedClock;

class ConsoleSecurityTest {

    @TempDir
    Path dir;

    private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");


    @Test
    void thereIsNoDefaultPasswordAndTheSetupLinkWorksOnce() throws Exception {
        Logins logins = new Logins(dir, new MovedClock(START), Duration.ofMinutes(30), Duration.ofHours(12));
        assertFalse(logins.hasAccounts());
        String token = logins.setupToken();
        assertNotNull(token);
        assertThrows(Logins.Refused.class, () -> logins.login("alice", "anything at all", "127.0.0.1"));
        assertThrows(Logins.Refused.class, () -> logins.setup("wrong token", "alice", "a good console password", "127.0.0.1"));
        assertThrows(Logins.Refused.class, () -> logins.setup(token, "alice", "short", "127.0.0.1"));
        String cookie = logins.setup(token, "alice", "a good console password", "127.0.0.1");
        assertNotNull(logins.find(cookie));
        assertNull(logins.setupToken());
        assertThrows(Logins.Refused.class, () -> logins.setup(token, "bob", "another good password", "127.0.0.1"));
        String stored = Files.readString(dir.resolve("accounts"));
        assertTrue(stored.startsWith("{\"name\":\"alice\",\"role\":\"administrator\",\"disabled\":false,"
                + "\"password\":\"pbkdf2-sha256$310000$") && !stored.contains("a good console password"), stored);
        // A restart keeps the password and makes no setup link.
        Logins again = new Logins(dir, new MovedClock(START), Duration.ofMinutes(30), Duration.ofHours(12));
        assertNull(again.setupToken());
        assertNotNull(again.find(again.login("alice", "a good console password", "127.0.0.1")));
    }

    @Test
    void loginsExpireAndWrongPasswordsLockForAWhile() throws Exception {
        MovedClock clock = new MovedClock(START);
        Logins logins = new Logins(dir, clock, Duration.ofMinutes(30), Duration.ofHours(12));
        logins.setup(logins.setupToken(), "alice", "a good console password", "127.0.0.1");
        String cookie = logins.login("alice", "a good console password", "127.0.0.1");
        clock.advance(Duration.ofMinutes(29));
        assertNotNull(logins.find(cookie), "used within the idle time");
        clock.advance(Duration.ofMinutes(31));
        assertNull(logins.find(cookie), "idle for over 30 minutes");
        String longOne = logins.login("alice", "a good console password", "127.0.0.1");
        for (int i = 0; i < 26; i++) { // 26 x 29 min: 12.6 h
            clock.advance(Duration.ofMinutes(29));
            logins.find(longOne);
        }
        assertNull(logins.find(longOne), "older than 12 hours, however busy");
        for (int i = 0; i < 5; i++) {
            assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                    () -> logins.login("alice", "guess", "127.0.0.5")).getMessage());
        }
        Logins.Refused held = assertThrows(Logins.Refused.class,
                () -> logins.login("alice", "a good console password", "127.0.0.5"));
        assertTrue(held.getMessage().startsWith("too many logon attempts from your address"), held.getMessage());
        assertNotNull(logins.find(logins.login("alice", "a good console password", "127.0.0.1")), "only that address is held");
        clock.advance(Duration.ofSeconds(145));
        assertNotNull(logins.find(logins.login("alice", "a good console password", "127.0.0.5")), "slowed, not locked");
    }

    @Test
    void guessesFromManyAddressesSlowNewcomersAndLockNobodyOut() throws Exception {
        MovedClock clock = new MovedClock(START);
        Logins logins = new Logins(dir, clock, Duration.ofMinutes(30), Duration.ofHours(12));
        logins.setup(logins.setupToken(), "alice", "a good console password", "127.0.0.1");
        assertNotNull(logins.find(logins.login("alice", "a good console password", "127.0.0.1")));
        int evaluated = 0;
        for (int a = 0; a < 60; a++) {
            try {
                logins.login("alice", "guess", "127.3." + a + ".1");
            } catch (Logins.Refused e) {
                if (e.getMessage().equals(Logins.WRONG)) {
                    evaluated++;
                }
            }
        }
        assertTrue(evaluated <= 20, "the console's budget across addresses: at most 20 at once, was " + evaluated);
        assertNotNull(logins.find(logins.login("alice", "a good console password", "127.0.0.1")),
                "the operator's address, which logged in before, is not held");
        Logins.Refused slowed = assertThrows(Logins.Refused.class,
                () -> logins.login("alice", "a good console password", "127.0.4.7"));
        assertTrue(slowed.getMessage().matches(".*try again in \\d+ s"), slowed.getMessage());
        clock.advance(Duration.ofSeconds(20));
        assertNotNull(logins.find(logins.login("alice", "a good console password", "127.0.4.7")), "slowed, not locked");
    }

    @Test
    void concurrentGuessesAreLimitedPerAddressAndTheOperatorElsewhereLogsIn() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.tandemrc.guest.audit");
        java.util.List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                lines.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        Logins logins = new Logins(dir, Clock.systemUTC(), Duration.ofMinutes(30), Duration.ofHours(12));
        logins.setup(logins.setupToken(), "alice", "a good console password", "127.0.0.1");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(40);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                try {
                    logins.login("alice", "guess", "127.0.0.2");
                    return "in";
                } catch (Logins.Refused e) {
                    return e.getMessage();
                }
            }));
        }
        go.countDown();
        int evaluated = 0;
        for (java.util.concurrent.Future<String> a : answers) {
            if (a.get(120, java.util.concurrent.TimeUnit.SECONDS).equals(Logins.WRONG)) {
                evaluated++;
            }
        }
        pool.shutdown();
        System.out.println("40 concurrent guesses from one address: " + evaluated + " evaluated");
        String operator = logins.login("alice", "a good console password", "127.0.0.1");
        System.out.println("40 concurrent guesses from one address: " + evaluated + " evaluated; the operator on another "
                + "address: " + (logins.find(operator) != null ? "logged in" : "refused"));
        log.removeHandler(capture);
        assertTrue(evaluated <= 5, "at most 5 evaluated, was " + evaluated);
        assertNotNull(logins.find(operator));
        assertEquals(evaluated, lines.stream().filter(l -> l.contains("SECPW! peer=127.0.0.2 user=alice")
                && l.contains("wrong password")).count(),
                "every failure is logged with the address: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("HSECPWLIM! peer=127.0.0.2")
                && l.contains("refused")), lines.toString());
    }

    private static HttpServletRequest request(String method, String path, Map<String, String> headers, String cookie,
            Map<String, String> parameters, Map<String, Object> attributes) {
        return (HttpServletRequest) Proxy.newProxyInstance(ConsoleSecurityTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> path;
                    case "getHeader" -> headers.get((String) a[0]);
                    case "getParameter" -> parameters.get((String) a[0]);
                    case "getCookies" -> cookie == null ? null : new Cookie[] {new Cookie(Logins.COOKIE, cookie)};
                    case "setAttribute" -> attributes.put((String) a[0], a[1]);
                    default -> null;
                });
    }

    @Test
    void theGuardRefusesEveryRouteAndSocketWithoutALoginAndEveryCrossSiteRequest() throws Exception {
        Logins logins = new Logins(dir, new MovedClock(START), Duration.ofMinutes(30), Duration.ofHours(12));
        GuardFilter guard = new GuardFilter(logins);
        Map<String, String> own = Map.of("Host", "127.0.0.1:6580", "Origin", "http://127.0.0.1:6580");
        List<String> routes = new java.util.ArrayList<>(Api.ROUTES);
        routes.add("GET /ws/events");
        routes.add("GET /ws/screen");
        routes.add("GET /api/not-a-route");
        for (String route : routes) {
            String[] r = route.split(" ");
            String verdict = guard.verdict(request(r[0], r[1], own, null, Map.of(), new HashMap<>()));
            if (GuardFilter.PUBLIC.contains(r[1])) {
                assertNull(verdict, route + " is open: the page needs it to log in");
            } else {
                assertEquals("log in first: this console needs your user name and password", verdict, route);
            }
        }
        String cookie = logins.setup(logins.setupToken(), "alice", "a good console password", "127.0.0.1");
        String csrf = logins.find(cookie).csrf;
        Map<String, String> withCsrf = new HashMap<>(own);
        withCsrf.put(GuardFilter.CSRF_HEADER, csrf);
        assertNull(guard.verdict(request("POST", "/api/connect", withCsrf, cookie, Map.of(), new HashMap<>())));
        assertEquals("the request lacks this login's CSRF token",
                guard.verdict(request("POST", "/api/connect", own, cookie, Map.of(), new HashMap<>())));
        // A download's link carries its ticket instead of the token; asking for the ticket needs the token.
        assertNull(guard.verdict(request("GET", Api.FETCH, own, cookie, Map.of("ticket", "t"), new HashMap<>())));
        assertEquals("the request lacks this login's CSRF token",
                guard.verdict(request("POST", "/api/files/download", own, cookie, Map.of(), new HashMap<>())));
        Map<String, String> evil = new HashMap<>(withCsrf);
        evil.put("Origin", "http://evil.example");
        assertEquals("cross-site requests are refused",
                guard.verdict(request("POST", "/api/connect", evil, cookie, Map.of(), new HashMap<>())));
        assertEquals("cross-site requests are refused",
                guard.verdict(request("GET", "/ws/events", evil, cookie, Map.of("csrf", csrf), new HashMap<>())));
        Map<String, String> noOrigin = new HashMap<>(withCsrf);
        noOrigin.remove("Origin");
        assertEquals("cross-site requests are refused",
                guard.verdict(request("GET", "/ws/events", noOrigin, cookie, Map.of("csrf", csrf), new HashMap<>())));
        assertNull(guard.verdict(request("GET", "/ws/events", own, cookie, Map.of("csrf", csrf), new HashMap<>())));
        Map<String, String> rebound = new HashMap<>(withCsrf);
        rebound.put("Host", "attacker.example:6580");
        rebound.put("Origin", "http://attacker.example:6580");
        assertTrue(guard.verdict(request("GET", "/api/connections", rebound, cookie, Map.of(), new HashMap<>()))
                .startsWith("this console answers to 127.0.0.1 and localhost only"));
    }

    @Test
    void jsonRoundTripsAndRefusesWhatIsNotJson() throws Exception {
        Map<String, Object> m = Json.object("{\"a\":\"x\\\"y\\u00e9\",\"n\":12,\"f\":1.5,\"b\":true,\"z\":null,\"l\":[1,{\"k\":[]}]}");
        assertEquals("x\"yé", m.get("a"));
        assertEquals(12L, m.get("n"));
        assertEquals(1.5, m.get("f"));
        assertEquals(Boolean.TRUE, m.get("b"));
        assertTrue(m.containsKey("z") && m.get("z") == null);
        assertEquals(m, Json.object(Json.write(m)));
        assertEquals("\"\\u003c/script\\u003e\"", Json.write("</script>"));
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "{\"a\":1}x", "\"\\q\"", "[" .repeat(40) + "]".repeat(40))) {
            assertThrows(Json.Malformed.class, () -> Json.parse(bad), bad);
        }
        assertThrows(Json.Malformed.class, () -> Json.object("[1]"));
    }

    @Test
    void addressesTakeTheProfileWhenTheyNameNoDevice() {
        assertEquals("tcp:10.0.0.5:6502", Api.address("tcp:10.0.0.5:6502", "tcp"));
        assertEquals("tcp:helpdesk-7", Api.address("helpdesk-7", "TCP"));
        assertEquals("helpdesk-7", Api.address(" helpdesk-7 ", ""));
        assertEquals("helpdesk-7", Api.address("helpdesk-7", "Default"));
    }

    /** 401 and 403 are the console's own login and CSRF refusals; a Host's refusal must never read so. */
    @Test
    void guestFailuresMapToStatusesByReasonNotBySentence() throws Exception {
        for (org.tandemrc.api.guest.GuestException.Reason r : org.tandemrc.api.guest.GuestException.Reason.values()) {
            int status = Api.status(r);
            assertTrue(status >= 400 && status < 600 && status != 401 && status != 403, r + " -> " + status);
        }
        var changed = new org.tandemrc.api.guest.GuestException(
                org.tandemrc.api.guest.GuestException.Reason.KEY_CHANGED, "the key differs");
        assertEquals(502, Api.status(changed.reason()));
        assertEquals(504, Api.status(org.tandemrc.api.guest.GuestException.Reason.NO_ANSWER));
        Map<String, Object> answer = Api.guestError(changed);
        assertEquals(Boolean.TRUE, answer.get("keyChanged"));
        assertEquals("KEY_CHANGED", answer.get("reason"));
        assertEquals(Boolean.FALSE, Api.guestError(new org.tandemrc.api.guest.GuestException(
                "the identity key of x has CHANGED")).get("keyChanged"));
        // The page asks for a one-time code only when the Guest says the Host wants one, not on any refusal.
        assertEquals(Boolean.TRUE, Api.guestError(new org.tandemrc.api.guest.GuestException(
                org.tandemrc.api.guest.GuestException.Reason.LOGON_REFUSED,
                org.tandemrc.api.guest.ConnectRequest.CODE_REQUIRED + ": pass --otp CODE")).get("codeRequired"));
        assertEquals(Boolean.FALSE, Api.guestError(new org.tandemrc.api.guest.GuestException(
                org.tandemrc.api.guest.GuestException.Reason.LOGON_REFUSED, "the Host refused the logon: "
                        + org.tandemrc.api.guest.ConnectRequest.CODE_REQUIRED)).get("codeRequired"));
    }

    @Test
    void folderListingsAreWrittenFoldersFirstByName() {
        Api.Folder f = new Api.Folder("/", null, List.of(new Api.FileRow("b.txt", "FILE", 3, 7, false),
                new Api.FileRow("Zeta", "FOLDER", 0, 8, false), new Api.FileRow("a<b", "FILE", 1, 9, true),
                new Api.FileRow("alpha", "FOLDER", 0, 6, false)));
        assertEquals("{\"path\":\"/\",\"parent\":null,\"entries\":["
                + "{\"name\":\"alpha\",\"kind\":\"FOLDER\",\"size\":0,\"modified\":6,\"hidden\":false},"
                + "{\"name\":\"Zeta\",\"kind\":\"FOLDER\",\"size\":0,\"modified\":8,\"hidden\":false},"
                + "{\"name\":\"a\\u003cb\",\"kind\":\"FILE\",\"size\":1,\"modified\":9,\"hidden\":true},"
                + "{\"name\":\"b.txt\",\"kind\":\"FILE\",\"size\":3,\"modified\":7,\"hidden\":false}]}",
                Json.write(f));
    }
}
