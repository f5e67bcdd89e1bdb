package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.security.audit.query.AuditQuery;
import org.tandemrc.security.server.admin.SecurityAdministration;
import org.tandemrc.security.server.admin.SecurityAdministration.By;

/**
 * The Security Server's pages, on a node that runs the console and the role (feature {@code security-server}):
 * its nodes, Guest IDs, rules, one-time codes and audit trail, for console administrators only. The work is
 * the role's own ({@link SecurityAdministration}, {@link AuditQuery}), which {@code tandem admin security} and
 * {@code tandem admin audit} run too, so every change is the same {@code TSECSS*} event, naming the console
 * administrator. The component exists only while the role runs: without it, or when its packages are not
 * wired (they are imported optionally), the console has no such pages, and {@link Api} never calls into this
 * class, so nothing loads the contracts.
 */
@Component(service = SecurityPages.class)
public class SecurityPages {

    /** Rows an export takes at most: the audit's own largest limit. */
    static final int MAX_EXPORT = AuditQuery.MAX_LIMIT;

    @Reference
    private volatile SecurityAdministration admin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditQuery audit;

    /** For the component runtime. */
    public SecurityPages() {
    }

    SecurityPages(SecurityAdministration admin, AuditQuery audit) {
        this.admin = admin;
        this.audit = audit;
    }

    /**
     * Answers {@code route} for the administrator {@code user} of the console at {@code from} (their browser's
     * address); bad input is a 400 with the role's own sentence.
     */
    Object answer(String route, Api.Call c, String user, String from) throws Exception {
        try {
            return run(route, c, new By(user, "console " + from));
        } catch (IllegalArgumentException e) {
            throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
    }

    private Object run(String route, Api.Call c, By by) throws Exception {
        SecurityAdministration a = admin;
        switch (route) {
            case "GET /api/security" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("nodes", nodes(a.nodes()));
                m.put("guests", guests(a.guests()));
                m.put("rules", rules(a.rules()));
                m.put("audit", audit != null);
                return m;
            }
            case "POST /api/security/nodes/approve" -> {
                String name = c.text("name", false).strip();
                return Map.of("node", node(a.approve(c.text("fingerprint", true), name.isEmpty() ? null : name,
                        list(c.text("groups", false)), by)));
            }
            case "POST /api/security/nodes/disable" -> a.disableNode(c.text("fingerprint", true), by);
            case "POST /api/security/guests/add" -> {
                String id = c.text("id", true).strip();
                if (a.guests().stream().anyMatch(g -> g.id().equals(id))) {
                    throw new IllegalArgumentException("there is already a Guest ID " + id);
                }
                String password = c.text("password", true);
                if (!password.equals(c.text("again", true))) {
                    throw new IllegalArgumentException("the two passwords differ");
                }
                a.putGuest(id, password.toCharArray(), list(c.text("groups", false)), by);
            }
            case "POST /api/security/guests/disable" -> a.disableGuest(c.text("id", true), true, by);
            case "POST /api/security/guests/enable" -> a.disableGuest(c.text("id", true), false, by);
            case "POST /api/security/guests/delete" -> a.deleteGuest(c.text("id", true), by);
            case "POST /api/security/rules/add" -> {
                return Map.of("position", a.addRule(number(c.body().get("position"), "position", 0),
                        c.text("guest", true), c.text("host", true), c.text("role", true), by));
            }
            case "POST /api/security/rules/remove" -> a.removeRule(number(c.body().get("position"), "position", -1), by);
            case "POST /api/security/otp/enrol" -> {
                SecurityAdministration.Enrolment e = a.enrol(c.text("id", true).strip(), by);
                return Map.of("id", e.id(), "secret", e.secret(), "uri", e.uri(), "svg", e.qrSvg());
            }
            case "POST /api/security/otp/require" -> {
                if (!(c.body().get("on") instanceof Boolean on)) {
                    throw new IllegalArgumentException("on is true or false");
                }
                a.requireOtp(c.text("id", true), on, by);
            }
            case "POST /api/security/audit/search" -> {
                AuditQuery q = audit();
                List<Map<String, Object>> rows = new ArrayList<>();
                for (AuditQuery.Row r : q.search(filter(q, c, AuditQuery.DEFAULT_LIMIT))) {
                    rows.add(row(r));
                }
                return Map.of("rows", rows);
            }
            case "POST /api/security/audit/verify" -> {
                AuditQuery.Verdict v = audit().verify();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ok", v.ok());
                m.put("rows", v.rows());
                m.put("problem", v.problem());
                return m;
            }
            case "POST /api/security/audit/export" -> {
                AuditQuery q = audit();
                AuditQuery.Filter f = filter(q, c, MAX_EXPORT);
                // The filter is checked before the answer starts: a bad one is still a 400 with its sentence.
                HttpServletResponse resp = c.resp();
                resp.setContentType("text/csv;charset=utf-8");
                resp.setHeader("Content-Disposition", "attachment; filename=\"tandem-audit.csv\"");
                try (Writer w = new java.io.OutputStreamWriter(resp.getOutputStream(), StandardCharsets.UTF_8)) {
                    q.exportCsv(f, f.limit(), w);
                }
                return Api.WRITTEN;
            }
            default -> throw new Api.Problem(HttpServletResponse.SC_NOT_FOUND, "no such console request: " + route);
        }
        return Map.of("ok", true);
    }

    private AuditQuery audit() throws Api.Problem {
        AuditQuery q = audit;
        if (q == null) {
            throw new Api.Problem(HttpServletResponse.SC_NOT_FOUND, "this node keeps no audit trail (the bundle"
                    + " org.tandemrc.security.audit of the feature security-server is not running)");
        }
        return q;
    }

    private static AuditQuery.Filter filter(AuditQuery q, Api.Call c, int defaultLimit) throws Api.Problem {
        return q.filter(c.text("since", false), c.text("until", false), c.text("node", false), c.text("user", false),
                c.text("code", false), c.text("limit", false), defaultLimit);
    }

    /** Groups as typed: separated by commas or spaces, blanks dropped. */
    static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        for (String g : text.split("[,\\s]+")) {
            if (!g.isEmpty()) {
                out.add(g);
            }
        }
        return out;
    }

    private static int number(Object v, String name, int absent) throws Api.Problem {
        if (v == null && absent >= 0) {
            return absent;
        }
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        if (v instanceof String s && s.strip().matches("\\d{1,9}")) {
            return Integer.parseInt(s.strip());
        }
        throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, name + " must be a whole number");
    }

    private static List<Map<String, Object>> nodes(List<SecurityAdministration.NodeInfo> nodes) {
        List<Map<String, Object>> out = new ArrayList<>();
        // Pending first: they are what an administrator comes to this page for.
        nodes.stream().sorted(Comparator.comparing((SecurityAdministration.NodeInfo n) -> !n.state().equals("pending")))
                .forEach(n -> out.add(node(n)));
        return out;
    }

    private static Map<String, Object> node(SecurityAdministration.NodeInfo n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", n.fingerprint());
        m.put("name", n.name());
        m.put("kind", n.kind());
        m.put("state", n.state());
        m.put("groups", n.groups());
        m.put("lastSeen", n.lastSeen().toString());
        return m;
    }

    private static List<Map<String, Object>> guests(List<SecurityAdministration.GuestInfo> guests) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SecurityAdministration.GuestInfo g : guests) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", g.id());
            m.put("disabled", g.disabled());
            m.put("groups", g.groups());
            m.put("otpEnrolled", g.otpEnrolled());
            m.put("otpRequired", g.otpRequired());
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> rules(List<SecurityAdministration.RuleInfo> rules) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SecurityAdministration.RuleInfo r : rules) {
            out.add(Map.of("position", r.position(), "guest", r.guest(), "host", r.host(), "role", r.role()));
        }
        return out;
    }

    private static Map<String, Object> row(AuditQuery.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("time", r.time().toString());
        m.put("code", r.code());
        m.put("severity", r.severity());
        m.put("node", r.name().isEmpty() ? r.node() : r.name());
        m.put("peer", r.peer());
        m.put("user", r.user());
        m.put("detail", r.detail());
        return m;
    }
}
