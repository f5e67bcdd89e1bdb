package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tandemrc.api.adhoc.SupportDesk;
import org.tandemrc.api.adhoc.SupportSession;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.webconnect.protocol.Support;

/**
 * The supporter's support sessions through the node's webconnect profiles: each request is one control
 * connection, logged on as a Guest of the profile's account, to the first of its managers that answers.
 * What changed a session is recorded on this side too ({@code TWCSUP*}: source the managers, user the
 * supporter), so the supporter's node keeps its half of the audit trail.
 */
@Component(service = SupportDesk.class)
public class WebConnectSupportDesk implements SupportDesk {

    private static final long ANSWER_MILLIS = 20_000;

    @Reference(target = "(" + CommunicationDevice.TYPE_PROPERTY + "=" + WebConnectDevice.TYPE + ")")
    private CommunicationDevice device;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ConfiguredProfile> profiles = List.of();

    final EventRecorder events = new EventRecorder("org.tandemrc.guest.audit");

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSink(EventSink sink) {
        events.add(sink);
    }

    void unbindSink(EventSink sink) {
        events.remove(sink);
    }

    public WebConnectSupportDesk() {
    }

    /** For tests: the desk of {@code device} with these profiles. */
    WebConnectSupportDesk(WebConnectDevice device, List<ConfiguredProfile> profiles) {
        this.device = device;
        this.profiles = List.copyOf(profiles);
    }

    @Override
    public List<String> profiles() {
        List<String> out = new ArrayList<>();
        for (ConfiguredProfile p : profiles) {
            if (usable(p).isEmpty()) {
                out.add(p.profile().name());
            }
        }
        return out.stream().sorted().distinct().toList();
    }

    /** Why a configured profile cannot make support sessions, or empty when it can. */
    private static Optional<String> usable(ConfiguredProfile p) {
        CommunicationProfile c = p.profile();
        if (!WebConnectDevice.TYPE.equals(c.device())) {
            return Optional.of("profile '" + c.name() + "' is a " + c.device() + " profile, not webconnect");
        }
        if (!p.enabled()) {
            return Optional.of("profile '" + c.name() + "' is disabled");
        }
        if (p.problem().isPresent()) {
            return Optional.of("profile '" + c.name() + "': " + p.problem().get());
        }
        if (c.text("support-code", null) != null) {
            return Optional.of("profile '" + c.name() + "' joins a support session as a temporary Host (support-code);"
                    + " a supporter needs a profile with the WebConnect account and password");
        }
        if (c.text("account", null) == null) {
            return Optional.of("profile '" + c.name() + "' names no WebConnect account; a supporter's profile needs"
                    + " 'account' and 'password' (or 'password-file')");
        }
        return Optional.empty();
    }

    /** The settings of the named profile, or why it cannot make support sessions. */
    private Settings settings(String name) throws GuestException {
        ConfiguredProfile found = null;
        for (ConfiguredProfile p : profiles) {
            if (p.profile().name().equals(name)) {
                found = p;
            }
        }
        if (found == null) {
            List<String> can = profiles();
            throw new GuestException(Reason.INVALID_REQUEST, "no communication profile '" + name + "' on this node"
                    + (can.isEmpty() ? "; none can make support sessions (a webconnect profile with an account)"
                            : "; support sessions are made through " + String.join(", ", can)));
        }
        Optional<String> why = usable(found);
        if (why.isPresent()) {
            throw new GuestException(Reason.INVALID_REQUEST, why.get());
        }
        Settings s;
        try {
            s = webconnect().settings(found.profile(), false);
        } catch (IllegalArgumentException e) {
            throw new GuestException(Reason.INVALID_REQUEST, e.getMessage());
        }
        if (s.managers().isEmpty()) {
            throw new GuestException(Reason.INVALID_REQUEST, "profile '" + name
                    + "': 'manager' (the Connection Manager address) is missing");
        }
        return s;
    }

    private WebConnectDevice webconnect() {
        return (WebConnectDevice) device;
    }

    @Override
    public SupportSession create(String profile, String supporter, int codeMinutes, int lifetimeMinutes)
            throws GuestException {
        if (codeMinutes < 0 || lifetimeMinutes < 0) {
            throw new GuestException(Reason.INVALID_REQUEST, "minutes are 0 (the manager's default) or more");
        }
        String who = supporter == null ? "" : supporter;
        SupportSession made = session(profile, ask(profile, c -> c.support(new Support.Create(who, codeMinutes,
                lifetimeMinutes).frame(), ANSWER_MILLIS)));
        record(made, "created");
        return made;
    }

    @Override
    public List<SupportSession> list(String profile) throws GuestException {
        List<SupportSession> out = new ArrayList<>();
        for (Support.Session s : ask(profile, c -> c.supportList(ANSWER_MILLIS)).sessions()) {
            out.add(session(profile, s));
        }
        return out;
    }

    @Override
    public SupportSession change(String profile, String typed, Change change) throws GuestException {
        String code = Support.normalize(typed);
        if (code == null) {
            throw new GuestException(Reason.INVALID_REQUEST, "a support code is 9 digits, not '" + typed + "'");
        }
        int action = switch (change) {
            case STATUS -> Support.STATUS;
            case EXTEND -> Support.EXTEND;
            case RENEW -> Support.RENEW;
            case CANCEL -> Support.CANCEL;
            case END -> Support.END;
        };
        SupportSession now = session(profile, ask(profile, c -> c.support(new Support.Change(action, code).frame(),
                ANSWER_MILLIS)));
        if (change != Change.STATUS) {
            record(now, switch (change) {
                case EXTEND -> "extended: its code is valid afresh";
                case RENEW -> "renewed: its new code ends " + now.code().substring(6) + ", the code ending "
                        + code.substring(6) + " stops working";
                case CANCEL -> "cancelled";
                default -> "ended";
            });
        }
        return now;
    }

    private void record(SupportSession s, String what) {
        String managers;
        try {
            managers = String.join(",", settings(s.profile()).managers());
        } catch (GuestException e) {
            managers = "";
        }
        events.record(EventCodes.TANDEM_WEBCONNECT_SUPPORT_CHANGED, Severity.INFO, managers, s.supporter(),
                "support session " + what + " (code ending " + s.code().substring(6) + ", profile '" + s.profile()
                        + "')");
    }

    private static SupportSession session(String profile, Support.Session s) {
        return new SupportSession(s.code(), s.supporter(), Instant.ofEpochMilli(s.codeExpires()),
                Duration.ofMinutes(s.lifetimeMinutes()), s.ends() == 0 ? null : Instant.ofEpochMilli(s.ends()), s.state(),
                s.link(), profile);
    }

    /** One request on a control connection that is logged on as a Guest. */
    @FunctionalInterface
    private interface Request<T> {
        T on(Control c) throws IOException, Control.Refused;
    }

    /**
     * Runs {@code request} at the first of the profile's managers that logs it on as a Guest of its account.
     * A refusal is final: another manager of the same deployment would answer the same.
     */
    private <T> T ask(String profile, Request<T> request) throws GuestException {
        Settings s = settings(profile);
        WebConnectDevice d = webconnect();
        IOException last = null;
        for (int i = 0; i < s.managers().size(); i++) {
            String m = s.managers().get(i);
            try (Control c = Control.open(d.group(), m, s.transport().managerTunnel(i, m), s.transport(),
                    new Transport.Route(), 10_000)) {
                try {
                    c.logon(s.account(), s.password(), "guest", ANSWER_MILLIS);
                } catch (Control.Refused e) {
                    throw new GuestException(Reason.LOGON_REFUSED, e.getMessage());
                }
                try {
                    return request.on(c);
                } catch (Control.Refused e) {
                    throw new GuestException(Reason.SESSION_REFUSED, e.getMessage());
                } catch (IOException e) {
                    // Not at another manager: this one may have done it (a second session, a second new code).
                    throw new GuestException(Reason.UNREACHABLE, e.getMessage() + "; ask for the session list to see"
                            + " whether the request was done");
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw new GuestException(Reason.UNREACHABLE, last == null ? "no Connection Manager configured" : last.getMessage());
    }
}
