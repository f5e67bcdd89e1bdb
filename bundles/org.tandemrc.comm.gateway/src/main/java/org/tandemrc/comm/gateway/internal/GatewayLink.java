package org.tandemrc.comm.gateway.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.gateway.GatewayWire;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * One link through a Gateway: first the handler of the link to the Gateway while it logs on and asks
 * for the route, then, once the Gateway answered that the route is open, a {@link Link} that passes
 * every message through unchanged.
 */
final class GatewayLink implements Link, LinkHandler {

    private enum State { CONNECTING, HELLO_SENT, RESPONDING, RESPONSE_SENT, ROUTE_SENT, OPEN, FAILED }

    private final String gateway;
    private final String user;
    private final String group;
    /** The Host's address in the group's device syntax; null when only the group list is asked for. */
    private final String target;
    private final LinkHandler handler;
    private final CompletableFuture<Link> result;
    private final CompletableFuture<List<String>> groups;
    private final Executor work;
    private final byte[] nonce = new byte[GatewayWire.NONCE];
    private final SrpClient srp;
    private volatile State state = State.CONNECTING;
    private volatile Link inner;
    private byte[] key;
    private volatile String closeReason;
    private boolean closedReported;

    GatewayLink(String gateway, String user, char[] password, String group, String target, LinkHandler handler,
            CompletableFuture<Link> result, CompletableFuture<List<String>> groups, Executor work, SecureRandom random) {
        this.gateway = gateway;
        this.user = user;
        this.group = group;
        this.target = target;
        this.handler = handler;
        this.result = result;
        this.groups = groups;
        this.work = work;
        random.nextBytes(nonce);
        this.srp = new SrpClient(user, password, random);
        Arrays.fill(password, '\0');
    }

    // ---- the link to the Gateway --------------------------------------------------------------------

    @Override
    public void opened(Link link) {
        inner = link;
        if (state != State.CONNECTING) {
            link.close("gave up");
            return;
        }
        state = State.HELLO_SENT;
        link.send(GatewayWire.encode(new GatewayWire.Hello(user, nonce)));
    }

    @Override
    public void received(Link link, ByteBuffer message) {
        if (state == State.OPEN) {
            handler.received(this, message);
            return;
        }
        GatewayWire.Message m;
        try {
            m = GatewayWire.decode(message);
        } catch (ProtocolException e) {
            fail("the Gateway at " + gateway + " answered with something else than the Gateway protocol: " + e.getMessage());
            return;
        }
        if (m instanceof GatewayWire.Refused r) {
            fail(refusal(r));
            return;
        }
        State s = state;
        if (s == State.HELLO_SENT && m instanceof GatewayWire.ChallengeMessage c) {
            state = State.RESPONDING;
            byte[] binding = GatewayWire.binding(nonce, c.nonce(), user);
            try {
                work.execute(() -> respond(link, c, binding));
            } catch (RejectedExecutionException e) {
                fail("the gateway device is stopping");
            }
        } else if (s == State.RESPONSE_SENT && m instanceof GatewayWire.Accepted a) {
            try {
                srp.verifyServer(a.serverProof());
            } catch (AuthenticationFailed e) {
                fail("the Gateway at " + gateway + " could not prove it knows the logon of " + user
                        + " (not the Gateway it claims to be?)");
                return;
            }
            key = srp.sessionKey();
            state = State.ROUTE_SENT;
            if (target == null) {
                link.send(GatewayWire.encode(new GatewayWire.ListGroups(GatewayWire.listMac(key))));
            } else {
                link.send(GatewayWire.encode(new GatewayWire.Route(group, target,
                        GatewayWire.routeMac(key, group, target))));
            }
        } else if (s == State.ROUTE_SENT && target != null && m instanceof GatewayWire.Routed r) {
            if (!GatewayWire.macEquals(GatewayWire.routedMac(key, group, target), r.mac())) {
                fail("the answer of the Gateway at " + gateway + " was altered on the way");
                return;
            }
            synchronized (this) {
                if (state != State.ROUTE_SENT) {
                    return; // gave up (timeout) meanwhile
                }
                state = State.OPEN;
            }
            handler.opened(this);
            result.complete(this);
        } else if (s == State.ROUTE_SENT && target == null && m instanceof GatewayWire.Groups g) {
            if (!GatewayWire.macEquals(GatewayWire.groupsMac(key, g.groups()), g.mac())) {
                fail("the answer of the Gateway at " + gateway + " was altered on the way");
                return;
            }
            state = State.FAILED;
            link.close("groups listed");
            groups.complete(g.groups());
            result.cancel(false);
        } else {
            fail("the Gateway at " + gateway + " sent an unexpected " + m.getClass().getSimpleName());
        }
    }

    private void respond(Link link, GatewayWire.ChallengeMessage c, byte[] binding) {
        try {
            GatewayWire.Response response = new GatewayWire.Response(srp.respond(c.challenge(), binding));
            if (state != State.RESPONDING) {
                return;
            }
            state = State.RESPONSE_SENT;
            link.send(GatewayWire.encode(response));
        } catch (AuthenticationFailed | RuntimeException e) {
            fail("the logon to the Gateway at " + gateway + " failed: " + e.getMessage());
        }
    }

    private String refusal(GatewayWire.Refused r) {
        String where = target == null ? "the Gateway at " + gateway
                : "the Gateway at " + gateway + " (group " + group + ") refused the route to " + target;
        switch (r.refusal()) {
            case LOGON_FAILED:
                return "the Gateway at " + gateway + " refused the logon of " + user + ": " + r.reason();
            case LOCKED_OUT:
                return "the Gateway at " + gateway + " locked this address out: " + r.reason();
            default:
                return where + ": " + r.reason();
        }
    }

    /** Gives up before the route is open: closes the link to the Gateway and fails the connect. */
    void fail(String why) {
        synchronized (this) {
            if (state == State.OPEN || state == State.FAILED) {
                return;
            }
            state = State.FAILED;
        }
        srp.clear();
        Link l = inner;
        if (l != null) {
            l.close(why);
        }
        result.completeExceptionally(new IOException(why));
        if (groups != null) {
            groups.completeExceptionally(new IOException(why));
        }
    }

    @Override
    public void writable(Link link) {
        if (state == State.OPEN) {
            handler.writable(this);
        }
    }

    @Override
    public void closed(Link link, String reason) {
        if (state == State.OPEN) {
            synchronized (this) {
                if (closedReported) {
                    return;
                }
                closedReported = true;
            }
            handler.closed(this, closeReason != null ? closeReason : reason);
        } else if (state != State.FAILED) {
            fail("the Gateway at " + gateway + " closed the connection during the logon: " + reason);
        }
    }

    // ---- the link through the Gateway -----------------------------------------------------------------

    @Override
    public int maxMessageSize() {
        return inner.maxMessageSize();
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        return inner.send(message);
    }

    @Override
    public boolean congested() {
        return inner.congested();
    }

    @Override
    public boolean pauseReceiving(boolean paused) {
        return inner.pauseReceiving(paused);
    }

    @Override
    public void close(String reason) {
        if (closeReason == null) {
            closeReason = reason == null ? "closed" : reason;
        }
        inner.close(reason);
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN && inner.isOpen();
    }

    @Override
    public String localAddress() {
        return inner.localAddress();
    }

    @Override
    public String remoteAddress() {
        return target;
    }

    @Override
    public String toString() {
        return "gateway link to " + target + " via " + gateway;
    }
}
