package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.security.audit.query.AuditQuery;
import org.tandemrc.security.server.admin.SecurityAdministration;

/**
 * The console's Security Server routes: administrators only, the role's own checks passed on as 400s with
 * their sentence, the console's own checks (passwords typed twice, an existing Guest ID, numbers), and every
 * change made as the logged-in administrator.
 */
class SecurityPagesTest {

    /** The role's side, kept in memory: what the console asked for. */
    static final class Role implements SecurityAdministration {
        final List<String> calls = new ArrayList<>();
        final List<GuestInfo> guests = new ArrayList<>();
        final List<NodeInfo> nodes = new ArrayList<>(List.of(
                new NodeInfo("SHA256:a", "host-a", "host", "approved", List.of(), Instant.EPOCH),
                new NodeInfo("SHA256:b", "desk-b", "host", "pending", List.of(), Instant.EPOCH)));

        @Override
        public List<NodeInfo> nodes() {
            return nodes;
        }

        @Override
        public NodeInfo approve(String fingerprint, String name, List<String> groups, By by) {
            calls.add("approve " + fingerprint + " " + name + " " + groups + " by " + by.user() + " from " + by.from());
            return new NodeInfo(fingerprint, name, "host", "approved", groups, Instant.EPOCH);
        }

        @Override
        public void disableNode(String fingerprint, By by) {
            throw new IllegalArgumentException("no node with the key " + fingerprint);
        }

        @Override
        public List<GuestInfo> guests() {
            return guests;
        }

        @Override
        public boolean putGuest(String id, char[] password, List<String> groups, By by) {
            calls.add("guest " + id + " " + new String(password) + " " + groups + " by " + by.user());
            guests.add(new GuestInfo(id, false, groups, false, false));
            return false;
        }

        @Override
        public void disableGuest(String id, boolean disabled, By by) {
            calls.add((disabled ? "disable " : "enable ") + id);
        }

        @Override
        public void deleteGuest(String id, By by) {
            calls.add("delete " + id);
        }

        @Override
        public List<RuleInfo> rules() {
            return List.of();
        }

        @Override
        public int addRule(int position, String guest, String host, String role, By by) {
            if (!guest.equals("*") && !guest.contains(":")) {
                throw new IllegalArgumentException("a guest pattern is user:NAME, group:NAME or *");
            }
            calls.add("rule " + position + " " + guest + " " + host + " " + role);
            return position == 0 ? 1 : position;
        }

        @Override
        public void removeRule(int position, By by) {
            calls.add("remove " + position);
        }

        @Override
        public Enrolment enrol(String id, By by) {
            return new Enrolment(id, "SECRET", "otpauth://totp/Tandem:" + id, "<svg/>");
        }

        @Override
        public void requireOtp(String id, boolean required, By by) {
            calls.add("require " + id + " " + required);
        }
    }

    /** The trail's side: refuses a filter as the real one does, answers one row. */
    static final class Trail implements AuditQuery {
        @Override
        public Filter filter(String since, String until, String node, String user, String code, String limit,
                int defaultLimit) {
            if (!since.isEmpty() && !since.startsWith("2026")) {
                throw new IllegalArgumentException("not a time: " + since);
            }
            return new Filter(null, null, node, user, code, defaultLimit);
        }

        @Override
        public List<Row> search(Filter filter) {
            return List.of(new Row(1, Instant.EPOCH, "SHA256:a", "", 0, "TSECSS+", "INFO", "host-a", "10.0.0.1",
                    filter.user(), "granted", "00"));
        }

        @Override
        public Verdict verify() {
            return new Verdict(7, "row 5 was changed");
        }

        @Override
        public long exportCsv(Filter filter, long max, Writer out) throws IOException {
            out.write("id\r\n");
            return 0;
        }
    }

    final Role role = new Role();
    final SecurityPages pages = new SecurityPages(role, new Trail());

    private Object post(String route, Map<String, Object> body) throws Exception {
        return pages.answer(route, new Api.Call(null, null, new HashMap<>(body)), "alice", "10.1.2.3");
    }

    private String refused(String route, Map<String, Object> body) {
        Api.Problem p = assertThrows(Api.Problem.class, () -> post(route, body), route);
        assertEquals(400, p.status, route);
        return p.getMessage();
    }

    @Test
    void onlyAdministratorsReachThePagesAndANodeWithoutTheRoleSaysHowToAddIt() throws Exception {
        Api.Problem supporter = assertThrows(Api.Problem.class, () -> Api.securityPages(pages, false));
        assertEquals(403, supporter.status);
        assertEquals("only console administrators manage the Security Server", supporter.getMessage());
        Api.Problem none = assertThrows(Api.Problem.class, () -> Api.securityPages(null, true));
        assertEquals(404, none.status);
        assertTrue(none.getMessage().contains("security-server"), none.getMessage());
        // A supporter is refused even where the node has no Security Server: the page tells them nothing more.
        assertEquals(403, assertThrows(Api.Problem.class, () -> Api.securityPages(null, false)).status);
        assertSame(pages, Api.securityPages(pages, true));
        assertTrue(Api.ROUTES.containsAll(Api.SECURITY_ROUTES));
    }

    @Test
    void changesAreMadeAsTheConsoleAdministratorAndPendingNodesComeFirst() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> state = (Map<String, Object>) post("GET /api/security", Map.of());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) state.get("nodes");
        assertEquals("pending", nodes.get(0).get("state"));
        assertEquals(true, state.get("audit"));
        post("POST /api/security/nodes/approve", Map.of("fingerprint", "SHA256:b", "name", " desk-17 ",
                "groups", "servers, desks"));
        assertEquals("approve SHA256:b desk-17 [servers, desks] by alice from console 10.1.2.3", role.calls.get(0));
        post("POST /api/security/guests/add", Map.of("id", "bob", "password", "pw 1", "again", "pw 1", "groups", "ops"));
        assertEquals("guest bob pw 1 [ops] by alice", role.calls.get(1));
        assertEquals(Map.of("position", 2), post("POST /api/security/rules/add", Map.of("guest", "group:ops",
                "host", "db-*", "role", "Full access", "position", 2)));
        post("POST /api/security/otp/require", Map.of("id", "bob", "on", true));
        assertEquals("require bob true", role.calls.get(3));
        @SuppressWarnings("unchecked")
        Map<String, Object> enrolled = (Map<String, Object>) post("POST /api/security/otp/enrol", Map.of("id", "bob"));
        assertEquals("<svg/>", enrolled.get("svg"));
        assertEquals("SECRET", enrolled.get("secret"));
        @SuppressWarnings("unchecked")
        Map<String, Object> verdict = (Map<String, Object>) post("POST /api/security/audit/verify", Map.of());
        assertEquals(false, verdict.get("ok"));
        assertEquals("row 5 was changed", verdict.get("problem"));
    }

    @Test
    void badInputIsRefusedWithASentence() {
        assertEquals("the two passwords differ", refused("POST /api/security/guests/add",
                Map.of("id", "carol", "password", "one", "again", "two")));
        role.guests.add(new SecurityAdministration.GuestInfo("bob", false, List.of(), false, false));
        assertEquals("there is already a Guest ID bob", refused("POST /api/security/guests/add",
                Map.of("id", "bob", "password", "one", "again", "one")));
        assertEquals("the request lacks password", refused("POST /api/security/guests/add", Map.of("id", "dave")));
        assertEquals("position must be a whole number", refused("POST /api/security/rules/add",
                Map.of("guest", "*", "host", "*", "role", "View only", "position", "first")));
        assertEquals("position must be a whole number", refused("POST /api/security/rules/remove", Map.of()));
        assertEquals("a guest pattern is user:NAME, group:NAME or *", refused("POST /api/security/rules/add",
                Map.of("guest", "bob", "host", "*", "role", "View only")));
        assertEquals("no node with the key SHA256:x", refused("POST /api/security/nodes/disable",
                Map.of("fingerprint", "SHA256:x")));
        assertEquals("on is true or false", refused("POST /api/security/otp/require", Map.of("id", "bob", "on", "yes")));
        assertEquals("not a time: yesterday", refused("POST /api/security/audit/search", Map.of("since", "yesterday")));
        assertTrue(role.calls.isEmpty(), role.calls.toString());
    }

    @Test
    void groupsAreTypedWithCommasOrSpaces() {
        assertEquals(List.of("ops", "db", "night"), SecurityPages.list(" ops, db  night,"));
        assertEquals(List.of(), SecurityPages.list(""));
    }
}
