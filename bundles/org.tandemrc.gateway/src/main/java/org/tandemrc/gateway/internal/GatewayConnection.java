package org.tandemrc.gateway.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.gateway.GatewayWire;
import org.tandemrc.protocol.gateway.GatewayWire.Refusal;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Role;
import org.tandemrc.protocol.logon.LogonEngine;
import org.tandemrc.protocol.logon.LogonLimiter;
import org.tandemrc.protocol.logon.SrpAuthenticator;

/**
 * One link a Guest opened to the Gateway: the logon, the route request, then the splice to the Host.
 * See {@link GatewayWire} for the messages.
 */
final class GatewayConnection implements LinkHandler {

    private enum State { HELLO, CHALLENGING, RESPONSE, VERIFYING, ROUTE, ROUTING, SPLICED, DONE }

    private final Gateway gateway;
    private final Link guest;
    private final String source;
    private final byte[] nonce = new byte[GatewayWire.NONCE];
    private volatile State state = State.HELLO;
    private String user = "";
    private GatewayUsers.User account;
    private byte[] binding;
    private final LogonEngine.Logon logon;
    private byte[] key;
    private volatile Splice splice;
    private volatile String group = "";
    private volatile String target = "";
    private ScheduledFuture<?> logonTimeout;
    /** This link's place among those waiting to log on from its address. */
    private final LogonLimiter.Slot slot;

    GatewayConnection(Gateway gateway, Link guest, LogonLimiter.Slot slot) {
        this.gateway = gateway;
        this.guest = guest;
        this.slot = slot;
        this.source = Gateway.source(guest);
        gateway.random.nextBytes(nonce);
        this.logon = gateway.logon().logon(source, new Peer());
    }

    @Override
    public void opened(Link link) {
        int seconds = gateway.settings.logonTimeoutSeconds();
        try {
            logonTimeout = gateway.timer.schedule(() -> {
                if (state != State.SPLICED && state != State.DONE) {
                    refuse(Refusal.PROTOCOL, "no logon and route within " + seconds + " s");
                }
            }, seconds, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            link.close("the Gateway is stopping");
        }
    }

    @Override
    public void received(Link link, ByteBuffer message) {
        Splice s = splice;
        if (state == State.SPLICED && s != null) {
            s.fromGuest(message);
            return;
        }
        if (state == State.DONE) {
            return;
        }
        GatewayWire.Message m;
        try {
            m = GatewayWire.decode(message);
        } catch (ProtocolException e) {
            refuse(Refusal.PROTOCOL, e.getMessage());
            return;
        }
        State st = state;
        if (st == State.HELLO && m instanceof GatewayWire.Hello h) {
            state = State.CHALLENGING;
            user = h.user();
            binding = GatewayWire.binding(h.nonce(), nonce, user);
            logon.start(gateway.settings.method(), user, user, user);
        } else if (st == State.RESPONSE && m instanceof GatewayWire.Response r) {
            state = State.VERIFYING;
            logon.prove(SrpAuthenticator.values(r.response()), binding);
        } else if (st == State.ROUTE && m instanceof GatewayWire.Route r) {
            route(r);
        } else if (st == State.ROUTE && m instanceof GatewayWire.ListGroups l) {
            if (!GatewayWire.macEquals(GatewayWire.listMac(key), l.mac())) {
                refuse(Refusal.PROTOCOL, "the request was altered on the way");
                return;
            }
            List<String> groups = gateway.groupsFor(account);
            state = State.DONE;
            cancelTimeout();
            guest.send(GatewayWire.encode(new GatewayWire.Groups(groups, GatewayWire.groupsMac(key, groups))));
            guest.close("groups listed");
        } else {
            refuse(Refusal.PROTOCOL, "unexpected " + m.getClass().getSimpleName() + " during " + st);
        }
    }

    /** What the logon engine tells this link, in Gateway messages. */
    private final class Peer implements LogonEngine.Peer {

        @Override
        public Optional<String> lockout() {
            long locked = gateway.lockedOutSeconds(source);
            if (locked == 0) {
                return Optional.empty();
            }
            if (state == State.CHALLENGING) {
                gateway.audit.record(EventCodes.GATEWAY_PASSWORD_REJECTED, Severity.SECURITY, source, user,
                        "address locked out after too many wrong passwords");
            }
            return Optional.of("too many wrong passwords from " + source + "; try again in " + locked + " s");
        }

        @Override
        public void challenge(Map<String, byte[]> values) {
            synchronized (GatewayConnection.this) {
                if (state != State.CHALLENGING) {
                    return; // refused meanwhile (the logon timeout)
                }
                state = State.RESPONSE;
            }
            guest.send(GatewayWire.encode(new GatewayWire.ChallengeMessage(nonce, SrpAuthenticator.challenge(values))));
        }

        @Override
        public Runnable granted(AuthResult result, Optional<Role> role) {
            Optional<GatewayUsers.User> found;
            try {
                found = gateway.users.find(user);
            } catch (IOException e) {
                return () -> refuse(Refusal.UNAVAILABLE, "the Gateway cannot read its users: " + e.getMessage());
            }
            if (found.isEmpty()) {
                return () -> refuse(Refusal.LOGON_FAILED, "wrong user name or password"); // removed meanwhile
            }
            gateway.succeeded(source);
            slot.close();
            account = found.get();
            key = SrpAuthenticator.answer(result, SrpAuthenticator.SESSION_KEY);
            byte[] proof = SrpAuthenticator.answer(result, SrpAuthenticator.SERVER_PROOF);
            gateway.audit.record(EventCodes.GATEWAY_ACCESS_ALLOWED, Severity.INFO, source, user, "");
            return () -> {
                synchronized (GatewayConnection.this) {
                    if (state != State.VERIFYING) {
                        return; // refused meanwhile (the logon timeout)
                    }
                    state = State.ROUTE;
                }
                guest.send(GatewayWire.encode(new GatewayWire.Accepted(proof)));
            };
        }

        @Override
        public Runnable denied(AuthResult result) {
            boolean locked = gateway.failed(source);
            gateway.audit.record(EventCodes.GATEWAY_PASSWORD_REJECTED, Severity.SECURITY, source, user,
                    result.failure().orElseThrow() + (locked ? "; address locked out for "
                            + gateway.settings.lockoutMinutes() + " min" : ""));
            return () -> refuse(Refusal.LOGON_FAILED, "wrong user name or password");
        }

        @Override
        public void refused(LogonEngine.Refusal kind, String reason) {
            switch (kind) {
                case LIMITED -> refuse(Refusal.LOCKED_OUT, reason);
                case UNAVAILABLE -> refuse(Refusal.UNAVAILABLE, "the Gateway cannot read its users: " + reason);
                case INVALID -> refuse(Refusal.PROTOCOL, "user name: " + reason);
                case BUSY, UNKNOWN_METHOD -> refuse(Refusal.UNAVAILABLE, reason);
            }
        }
    }

    private void route(GatewayWire.Route r) {
        if (!GatewayWire.macEquals(GatewayWire.routeMac(key, r.group(), r.target()), r.mac())) {
            refuse(Refusal.PROTOCOL, "the route request was altered on the way");
            return;
        }
        group = r.group();
        target = r.target().trim();
        if (!gateway.groups.containsKey(group)) {
            refuseRoute(Refusal.UNKNOWN_GROUP, "there is no device group '" + group + "' on this Gateway");
            return;
        }
        if (!account.mayUse(group)) {
            refuseRoute(Refusal.GROUP_NOT_ALLOWED, "user " + user + " may not use the device group '" + group + "'");
            return;
        }
        if (target.isEmpty() || !account.mayReach(target)) {
            refuseRoute(Refusal.TARGET_NOT_ALLOWED, "user " + user + " may not reach " + target + " (allowed: "
                    + String.join(", ", account.targets().stream().map(Glob::toString).toList()) + ")");
            return;
        }
        state = State.ROUTING;
        Splice s = new Splice(gateway.settings.maxQueue(),
                (sp, why) -> gateway.closed(sp, source, user, group, target, why));
        splice = s;
        try {
            gateway.connect(group, target, s.hostHandler()).whenComplete((host, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    splice = null;
                    refuseRoute(Refusal.UNREACHABLE, "cannot reach " + target + ": " + cause.getMessage());
                    return;
                }
                if (state != State.ROUTING) {
                    host.close("the Guest left before the route was open");
                    return;
                }
                cancelTimeout();
                // SPLICED before the Guest can know: its first session message may come at once. The
                // Host's messages wait in the splice until start(), behind the answer.
                state = State.SPLICED;
                guest.send(GatewayWire.encode(new GatewayWire.Routed(GatewayWire.routedMac(key, group, target))));
                gateway.opened(s, source, user, group, target);
                s.start(guest);
            });
        } catch (Gateway.Refusal e) {
            splice = null;
            refuseRoute(e.kind, e.getMessage());
        }
    }

    private void refuseRoute(Refusal kind, String why) {
        gateway.audit.record(EventCodes.TANDEM_GATEWAY_ROUTE_REFUSED, Severity.WARNING, source, user,
                group + " " + target + ": " + why);
        refuse(kind, why);
    }

    private void refuse(Refusal kind, String why) {
        synchronized (this) {
            if (state == State.DONE || state == State.SPLICED) {
                return;
            }
            state = State.DONE;
        }
        cancelTimeout();
        guest.send(GatewayWire.encode(new GatewayWire.Refused(kind, why)));
        guest.close(why);
    }

    private void cancelTimeout() {
        ScheduledFuture<?> t = logonTimeout;
        if (t != null) {
            t.cancel(false);
        }
    }

    @Override
    public void writable(Link link) {
        Splice s = splice;
        if (s != null && state == State.SPLICED) {
            s.guestWritable();
        }
    }

    @Override
    public void closed(Link link, String reason) {
        logon.end();
        cancelTimeout();
        slot.close();
        Splice s = splice;
        State was = state;
        state = was == State.SPLICED ? State.SPLICED : State.DONE;
        if (s != null && was == State.SPLICED) {
            s.guestClosed(reason);
        }
    }
}
