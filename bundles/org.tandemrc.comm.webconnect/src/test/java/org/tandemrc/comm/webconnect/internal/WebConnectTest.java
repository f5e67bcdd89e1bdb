package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.testing.DeviceConformance;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.PairingToken;
import org.tandemrc.webconnect.relay.internal.RelayServer;
import org.tandemrc.webconnect.store.Store;

/** Manager, relays and the device together on loopback with H2: logon, lookup, limits, tokens, caps, relay death. */
class WebConnectTest extends TwoWebConnectDevices {

    @Override
    protected ManagerServer startManager(Deployment d) throws Exception {
        return d.manager();
    }

    private Endpoint listen(String name, LinkHandler handler) throws Exception {
        return host.listen(profile(Deployment.settings(manager, name)), l -> handler);
    }

    private Link connect(String target, LinkHandler handler) throws Exception {
        return guest.connect(profile(Deployment.settings(manager, null)), target, handler).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void logonSucceedsWithTheRightPasswordAndFailsWithAWrongOneOrAnUnknownAccount() throws Exception {
        try (Control c = Control.open(group, manager.address(), 5000)) {
            c.logon(Deployment.ACCOUNT, Deployment.PASSWORD.toCharArray(), "guest", 10_000);
            assertEquals(manager.id(), c.managerId());
        }
        for (String[] attempt : new String[][] {{Deployment.ACCOUNT, "wrong"}, {"nobody", Deployment.PASSWORD}}) {
            try (Control c = Control.open(group, manager.address(), 5000)) {
                Control.Refused e = assertThrows(Control.Refused.class,
                        () -> c.logon(attempt[0], attempt[1].toCharArray(), "guest", 10_000));
                assertEquals("logon failed: wrong account or password", e.getMessage());
            }
        }
        // The device reports it too, on both sides.
        Map<String, String> wrong = Deployment.settings(manager, "h");
        wrong.put("password", "wrong");
        Exception e = assertThrows(java.io.IOException.class, () -> host.listen(profile(wrong), l -> null));
        assertTrue(e.getMessage().contains("wrong account or password"), e.getMessage());
    }

    @Test
    void aRegisteredHostIsReachableAtOnceAndAnUnknownHostIsNamed() throws Exception {
        deployment.relay();
        Transfer.Sink sink = new Transfer.Sink(3);
        try (Endpoint e = listen("office-pc", sink)) {
            assertEquals("webconnect:office-pc@" + manager.address(), e.address());
            long t0 = System.nanoTime();
            Link link = connect("office-pc", new Transfer.Source());
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3), "pairing took over 3 s");
            link.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            sink.done.get(10, TimeUnit.SECONDS);
            ExecutionException x = assertThrows(ExecutionException.class, () -> connect("home-pc", new Transfer.Source()));
            assertEquals("no Host named 'home-pc' is connected to WebConnect for account 'acme'", x.getCause().getMessage());
            // A second Host may not take a name in use.
            Exception taken = assertThrows(java.io.IOException.class, () -> listen("office-pc", sink));
            assertTrue(taken.getMessage().contains("another Host is registered as 'office-pc'"), taken.getMessage());
        }
        // Closed endpoint: deregistered.
        ExecutionException gone = assertThrows(ExecutionException.class, () -> connect("office-pc", new Transfer.Source()));
        assertTrue(gone.getCause().getMessage().contains("no Host named 'office-pc'"), gone.getCause().getMessage());
    }

    @Test
    void aHostRegistersATicketAndAGuestConnectsWithIt() throws Exception {
        deployment.relay();
        Map<String, String> settings = Deployment.settings(manager, "ticket-pc");
        settings.put("ticket", "5");
        Transfer.Sink sink = new Transfer.Sink(6);
        try (Endpoint e = host.listen(profile(settings), l -> sink)) {
            HostEndpoint he = (HostEndpoint) e;
            long deadline = System.currentTimeMillis() + 10_000;
            while (he.ticket() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            HostEndpoint.Ticket t = he.ticket();
            assertTrue(t != null, "the profile's ticket setting registered a ticket");
            assertTrue(t.code().matches("\\d{3}-\\d{3}-\\d{3}"), t.code());
            long minutes = (t.expiresAtMillis() - System.currentTimeMillis()) / 60_000;
            assertTrue(minutes >= 4 && minutes <= 5, "valid about 5 minutes: " + minutes);
            Link link = connect("ticket:" + t.code(), new Transfer.Source());
            link.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            // a ticket asked for while running works too
            HostEndpoint.Ticket t2 = he.requestTicket(1).get(10, TimeUnit.SECONDS);
            assertTrue(!t2.code().equals(t.code()) || t2.expiresAtMillis() != t.expiresAtMillis());
            Link second = connect("ticket:" + t2.code(), new Transfer.Source());
            second.send(ByteBuffer.wrap(new byte[] {4, 5, 6}));
            sink.done.get(10, TimeUnit.SECONDS);
            ExecutionException x = assertThrows(ExecutionException.class, () -> connect("ticket:000-000-00x",
                    new Transfer.Source()));
            assertTrue(x.getCause().getMessage().contains("no valid ticket '000-000-00x'"), x.getCause().getMessage());
        }
    }

    @Test
    void anAccountOverItsConnectionLimitIsRefusedWithTheReason() throws Exception {
        deployment.relay();
        deployment.account(Deployment.ACCOUNT, Deployment.PASSWORD, 1);
        try (Endpoint e = listen("kiosk", new Transfer.Sink(1))) {
            Link first = connect("kiosk", new Transfer.Source());
            ExecutionException x = assertThrows(ExecutionException.class, () -> connect("kiosk", new Transfer.Source()));
            assertEquals("account 'acme' has reached its limit of 1 connection", x.getCause().getMessage());
            first.close("done");
            // The Host reports the end; the next Guest gets in.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Link again = null;
            while (again == null) {
                try {
                    again = connect("kiosk", new Transfer.Source());
                } catch (ExecutionException retry) {
                    if (System.nanoTime() > deadline) {
                        throw retry;
                    }
                    Thread.sleep(100);
                }
            }
            assertTrue(again.isOpen());
        }
    }

    private String refusal(RelayServer relay, byte[] token) throws Exception {
        String[] hp = relay.address().split(":");
        try (Socket s = new Socket(hp[0], Integer.parseInt(hp[1]))) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(1 + 2 + token.length);
            out.writeByte(Frames.RELAY_TOKEN);
            out.writeShort(token.length);
            out.write(token);
            out.flush();
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            assertEquals(Frames.ERROR, frame[0]);
            assertEquals(-1, in.read(), "the relay closes after refusing");
            return new String(frame, 3, frame.length - 3, StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRelayRefusesForgedExpiredAndMisdirectedTokens() throws Exception {
        RelayServer relay = deployment.relay();
        KeyPair mine = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Store store = deployment.store();
        store.run(c -> {
            try (PreparedStatement i = c.prepareStatement(
                    "insert into wc_manager (id, public_key, address, heartbeat) values (?,?,?,?)")) {
                i.setString(1, "test-manager");
                i.setString(2, PairingToken.encode(mine.getPublic()));
                i.setString(3, "127.0.0.1:1");
                i.setLong(4, System.currentTimeMillis());
                i.executeUpdate();
            }
            return null;
        });
        long later = System.currentTimeMillis() + 60_000;
        byte[] pid = new byte[16];
        // Signed by a key that is not the named manager's.
        assertEquals("relay refuses the connection: pairing token signature is not valid", refusal(relay,
                new PairingToken(pid, Frames.ROLE_HOST, relay.id(), later, "test-manager").sign(other.getPrivate())));
        assertEquals("relay refuses the connection: pairing token signature is not valid", refusal(relay,
                new PairingToken(pid, Frames.ROLE_HOST, relay.id(), later, manager.id()).sign(mine.getPrivate())));
        // A valid signature, tampered with: the role byte flipped.
        byte[] tampered = new PairingToken(pid, Frames.ROLE_HOST, relay.id(), later, "test-manager").sign(mine.getPrivate());
        tampered[17] = Frames.ROLE_GUEST;
        assertEquals("relay refuses the connection: pairing token signature is not valid", refusal(relay, tampered));
        assertEquals("relay refuses the connection: pairing token expired", refusal(relay,
                new PairingToken(pid, Frames.ROLE_HOST, relay.id(), System.currentTimeMillis() - 1, "test-manager")
                        .sign(mine.getPrivate())));
        assertEquals("relay refuses the connection: pairing token signed by unknown manager 'nobody'", refusal(relay,
                new PairingToken(pid, Frames.ROLE_HOST, relay.id(), later, "nobody").sign(mine.getPrivate())));
        assertEquals("relay refuses the connection: the token is for relay 'elsewhere'", refusal(relay,
                new PairingToken(pid, Frames.ROLE_HOST, "elsewhere", later, "test-manager").sign(mine.getPrivate())));
        assertEquals(0, relay.sessions());
    }

    @Test
    void theSessionBandwidthCapHoldsForTheWholeTransfer() throws Exception {
        long cap = 4L << 20; // 4 MiB/s per direction
        RelayServer relay = deployment.relay(cap, 0);
        assertTrue(relay.status().contains("session cap " + cap + " B/s"), relay.status());
        long total = 16L << 20;
        Transfer.Sink sink = new Transfer.Sink(total);
        try (Endpoint e = listen("capped", sink)) {
            Transfer.Source source = new Transfer.Source();
            Link link = connect("capped", source);
            long t0 = System.nanoTime();
            byte[] sent = Transfer.send(link, source, total, 1);
            byte[] got = sink.done.get(60, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertArrayEquals(sent, got);
            double rate = total / seconds;
            assertTrue(rate <= cap * 1.05 && rate >= cap * 0.85,
                    "measured " + Math.round(rate) + " B/s for a cap of " + cap + " B/s over " + seconds + " s");
        }
    }

    @Test
    void aLinkSurvivesTheDeathOfItsRelayAndFiftyMebibytesArriveIntact() throws Exception {
        RelayServer a = deployment.relay();
        RelayServer b = deployment.relay();
        long total = 50L << 20;
        Transfer.Sink sink = new Transfer.Sink(total);
        try (Endpoint e = listen("survivor", sink)) {
            Transfer.Source source = new Transfer.Source();
            Link link = connect("survivor", source);
            Transfer.sendThroughARelayDeath(link, source, sink, total, 2, a, b);
        }
    }

    @Test
    void aGuestOfferedADeadRelayConnectsThroughAnotherAndTheManagerStopsOfferingIt() throws Exception {
        java.util.List<String> retries = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.tandemrc.comm.webconnect");
        java.util.logging.Handler watch = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                String m = new java.util.logging.SimpleFormatter().formatMessage(r);
                if (m.contains("asking for another relay")) {
                    retries.add(m);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(watch);
        RelayServer live = deployment.relay();
        try (Endpoint e = listen("offered-dead", new DeviceConformance.Echo())) {
            DeviceConformance.Recorder first = new DeviceConformance.Recorder();
            Link one = connect("offered-dead", first);
            assertEquals("one", echo(one, first, "one"));
            // The live relay's heartbeat reports its session, so an idle relay is the least loaded from now on.
            Store store = deployment.store();
            long deadline = System.currentTimeMillis() + 10_000;
            while (sessionsInDatabase(store, live.id()) < 1) {
                assertTrue(System.currentTimeMillis() < deadline, "the live relay's heartbeat never showed its session");
                Thread.sleep(100);
            }
            RelayServer dead = deployment.relay();
            String deadId = dead.id();
            dead.stop(false); // a crash: its row and fresh heartbeat stay, with 0 sessions, so it is chosen next

            DeviceConformance.Recorder second = new DeviceConformance.Recorder();
            Link two = connect("offered-dead", second);
            assertEquals("two", echo(two, second, "two"));
            assertEquals(1, retries.size(), "the Guest asked for another relay once: " + retries);
            assertTrue(retries.get(0).contains("cannot reach relay " + deadId), retries.get(0));
            assertEquals(java.util.Set.of(deadId), manager.unreachableRelays());
            assertEquals(2, live.sessions());

            // The dead relay still has the fresher heartbeat of an idle relay, but is no longer offered.
            DeviceConformance.Recorder third = new DeviceConformance.Recorder();
            Link three = connect("offered-dead", third);
            assertEquals("three", echo(three, third, "three"));
            assertEquals(1, retries.size(), "no second retry: " + retries);
            assertEquals(3, live.sessions());
            assertEquals("one again", echo(one, first, "one again"));
        } finally {
            log.removeHandler(watch);
        }
    }

    private static String echo(Link link, DeviceConformance.Recorder replies, String text) throws Exception {
        link.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        return new String(replies.next(), StandardCharsets.UTF_8);
    }

    private static long sessionsInDatabase(Store store, String relay) throws Exception {
        return store.run(c -> {
            try (PreparedStatement s = c.prepareStatement("select sessions from wc_relay where id=?")) {
                s.setString(1, relay);
                try (java.sql.ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getLong(1) : -1L;
                }
            }
        });
    }
}
