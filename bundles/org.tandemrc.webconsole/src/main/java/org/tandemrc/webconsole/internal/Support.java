package org.tandemrc.webconsole.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.adhoc.SupportDesk;
import org.tandemrc.api.adhoc.SupportSession;
import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.guest.GuestException;

/**
 * The Support tab's side on the node: ad hoc support sessions through the node's {@link SupportDesk} as
 * JSON, and the request that connects to a joined session's temporary Host ({@code support:CODE} through
 * the session's profile) with the console's one connect flow.
 */
@Component(service = Support.class)
public class Support {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SupportDesk desk;

    private SupportDesk desk() throws Api.Problem {
        SupportDesk d = desk;
        if (d == null) {
            throw new Api.Problem(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "support sessions need the webconnect device on this node: add comm-webconnect to the features line of"
                            + " etc/node.properties");
        }
        return d;
    }

    /**
     * The profiles that can make sessions, the default supporter name (the logged-in account's, which the
     * person at the temporary Host sees), and every profile's open sessions;
     * a profile whose manager cannot be asked now is named in {@code problems}, the others still listed.
     */
    Map<String, Object> state(String supporter) {
        Map<String, Object> m = new LinkedHashMap<>();
        SupportDesk d = desk;
        m.put("available", d != null);
        m.put("supporter", supporter);
        List<String> profiles = d == null ? List.of() : d.profiles();
        m.put("profiles", profiles);
        List<Object> sessions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String p : profiles) {
            try {
                for (SupportSession s : d.list(p)) {
                    sessions.add(json(s));
                }
            } catch (GuestException e) {
                problems.add(p + ": " + e.getMessage());
            }
        }
        m.put("sessions", sessions);
        m.put("problems", problems);
        return m;
    }

    Map<String, Object> create(Api.Call c) throws Exception {
        SupportDesk d = desk();
        String profile = profile(d, c.text("profile", false));
        return Map.of("session", json(d.create(profile, c.text("supporter", true), minutes(c, "codeMinutes"),
                minutes(c, "lifetimeMinutes"))));
    }

    Map<String, Object> change(Api.Call c, SupportDesk.Change change) throws Exception {
        return Map.of("session", json(desk().change(c.text("profile", true), c.text("code", true), change)));
    }

    /**
     * What connects to the temporary Host of the session {@code code}: never accepting a changed key, since
     * the key the console pinned on the first connection is the temporary Host's for the session's life.
     * The code is the password the temporary Host's person was given with it.
     */
    static ConnectRequest connectRequest(String profile, String code) throws Api.Problem {
        String digits = code.replaceAll("[\\s-]", "");
        if (!digits.matches("[0-9]{9}")) {
            throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, "a support code is 9 digits, not '" + code + "'");
        }
        if (profile.isBlank()) {
            throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, "the request lacks profile");
        }
        return new ConnectRequest("webconnect:support:" + digits, null, digits.toCharArray(), false, profile);
    }

    /** The named profile, else the only one that can make sessions. */
    private static String profile(SupportDesk d, String named) throws Api.Problem {
        if (!named.isBlank()) {
            return named;
        }
        List<String> can = d.profiles();
        if (can.size() != 1) {
            throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, can.isEmpty()
                    ? "no communication profile of this node can make support sessions: add a webconnect profile with"
                            + " manager, account and password"
                    : "choose the profile: " + String.join(", ", can));
        }
        return can.get(0);
    }

    private static int minutes(Api.Call c, String name) throws Api.Problem {
        Object v = c.body().get(name);
        if (v == null) {
            return 0;
        }
        if (!(v instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1 || n.intValue() > 10_080) {
            throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, name + " is 1..10080 minutes");
        }
        return n.intValue();
    }

    static Map<String, Object> json(SupportSession s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", s.code());
        m.put("displayCode", s.displayCode());
        m.put("supporter", s.supporter());
        m.put("state", s.state());
        m.put("codeExpires", s.codeExpires().toEpochMilli());
        m.put("lifetimeMinutes", s.lifetime().toMinutes());
        m.put("ends", s.ends() == null ? null : s.ends().toEpochMilli());
        m.put("link", s.link());
        m.put("profile", s.profile());
        m.put("address", s.address());
        return m;
    }
}
