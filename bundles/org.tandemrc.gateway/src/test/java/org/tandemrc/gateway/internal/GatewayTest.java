package org.tandemrc.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.testing.DeviceConformance.Echo;
import org.tandemrc.api.testing.DeviceConformance.Recorder;
import org.tandemrc.comm.gateway.internal.GatewayDevice;
import org.tandemrc.comm.tcp.internal.TcpDevice;

/** A real Gateway on loopback between a Guest's gateway device and Hosts on the tcp device. */
class GatewayTest {

    private static final int WAIT = 20;
    private GatewayFixture gw;
    private TcpDevice hosts;
    private GatewayDevice guest;

    @BeforeEach
    void start() throws IOException {
        gw = new GatewayFixture();
        gw.user("alice", "correct horse", "lan", "127.0.0.1:*");
        hosts = new TcpDevice();
        hosts.activate();
        guest = gw.guestDevice();
    }

    @AfterEach
    void stop() throws Exception {
        gw.close();
        hosts.deactivate();
    }

    private Endpoint host(java.util.function.Supplier<LinkHandler> handlers) throws IOException {
        return hosts.listen(new CommunicationProfile("host", "tcp", Map.of("bind", "127.0.0.1", "port", "0")),
                l -> handlers.get());
    }

    private static String target(Endpoint e) {
        return e.address().substring("tcp:".length());
    }

    private Link connect(String group, String user, String password, String target, LinkHandler handler)
            throws Exception {
        return guest.connect(gw.guestProfile(group, user, password), target, handler).toCompletableFuture()
                .get(WAIT, TimeUnit.SECONDS);
    }

    private String refusal(String group, String user, String password, String target) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> connect(group, user, password, target, new Recorder()));
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        return e.getCause().getMessage();
    }

    private AuditEvent event(String code) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (System.nanoTime() < deadline) {
            for (AuditEvent e : gw.events) {
                if (e.code().equals(code)) {
                    return e;
                }
            }
            Thread.sleep(10);
        }
        fail("no event " + code + "; recorded: " + gw.codes());
        return null;
    }

    @Test
    void aLoggedOnGuestReachesTheHostAndMessagesPassUnchangedBothWays() throws Exception {
        Endpoint host = host(Echo::new);
        Recorder mine = new Recorder();
        Link link = connect("lan", "alice", "correct horse", target(host), mine);
        assertEquals(link, mine.opened.get(WAIT, TimeUnit.SECONDS));
        assertEquals(target(host), link.remoteAddress());
        for (int i = 0; i < 50; i++) {
            byte[] m = new byte[i * 997];
            new Random(i).nextBytes(m);
            link.send(ByteBuffer.wrap(m));
            assertArrayEquals(m, mine.next(), "message " + i);
        }
        AuditEvent access = event(EventCodes.GATEWAY_ACCESS_ALLOWED);
        assertEquals("alice", access.user());
        assertEquals("127.0.0.1", access.peer());
        AuditEvent route = event(EventCodes.TANDEM_GATEWAY_ROUTE_OPENED);
        assertEquals("lan " + target(host), route.detail());
        assertEquals(1, gw.gateway.routes.size());
    }

    @Test
    void aWrongPasswordIsRefusedAndRecorded() throws Exception {
        Endpoint host = host(Echo::new);
        String why = refusal("lan", "alice", "wrong", target(host));
        assertTrue(why.contains("refused the logon of alice: wrong user name or password"), why);
        AuditEvent e = event(EventCodes.GATEWAY_PASSWORD_REJECTED);
        assertEquals("alice", e.user());
        assertEquals("wrong password", e.detail());
        assertFalse(gw.codes().contains(EventCodes.GATEWAY_ACCESS_ALLOWED));
    }

    @Test
    void anUnknownUserLooksLikeAWrongPassword() throws Exception {
        Endpoint host = host(Echo::new);
        String why = refusal("lan", "mallory", "anything", target(host));
        assertTrue(why.contains("refused the logon of mallory: wrong user name or password"), why);
        assertEquals("unknown user", event(EventCodes.GATEWAY_PASSWORD_REJECTED).detail());
    }

    @Test
    void theConfiguredMethodIsTheAuthenticatorServiceOfThatName() throws Exception {
        AtomicInteger begun = new AtomicInteger();
        // A third-party method that speaks SRP, so that the Guest's side is unchanged: its own accounts.
        PasswordVerifier v = PasswordVerifier.create("alice", "directory password".toCharArray(), GatewayFixture.RANDOM,
                1024, 1, 1);
        gw.authenticators.add(new SrpAuthenticator("directory", name -> {
            begun.incrementAndGet();
            return Optional.of(new SrpAuthenticator.Account(v, Set.of()));
        }, new byte[32], GatewayFixture.RANDOM));
        Endpoint host = host(Echo::new);
        connect("lan", "alice", "correct horse", target(host), new Recorder()).close("done");
        assertEquals(0, begun.get(), "the default method is the built-in one");
        gw.gateway.settings = new GatewaySettings("gw", 5, 10, 30, 0, 16 << 20, LogonLimits.defaults(), "directory");
        Recorder mine = new Recorder();
        assertTrue(refusal("lan", "alice", "correct horse", target(host)).contains("wrong user name or password"));
        Link link = connect("lan", "alice", "directory password", target(host), mine);
        assertEquals(link, mine.opened.get(WAIT, TimeUnit.SECONDS));
        assertEquals(2, begun.get());
        gw.authenticators.clear();
        String why = refusal("lan", "alice", "directory password", target(host));
        assertTrue(why.contains("the access method 'directory' is not installed"), why);
        assertEquals(2, begun.get());
    }

    @Test
    void tooManyWrongPasswordsLockTheAddressOut() throws Exception {
        gw.gateway.settings = new GatewaySettings("gw", 2, 10, 30, 0, 16 << 20);
        Endpoint host = host(Echo::new);
        refusal("lan", "alice", "wrong", target(host));
        refusal("lan", "alice", "wrong again", target(host));
        String why = refusal("lan", "alice", "correct horse", target(host));
        assertTrue(why.contains("locked this address out: too many wrong passwords from 127.0.0.1"), why);
    }

    @Test
    void parallelGuessesAreChargedWhenTheirProofsArrive() throws Exception {
        Endpoint host = host(Echo::new);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String guess = "wrong " + i;
            answers.add(pool.submit(() -> refusal("lan", "alice", guess, target(host))));
        }
        for (java.util.concurrent.Future<String> a : answers) {
            a.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long evaluated = gw.events.stream().filter(e -> e.code().equals(EventCodes.GATEWAY_PASSWORD_REJECTED)
                && e.detail().startsWith("wrong password")).count();
        String right = refusal("lan", "alice", "correct horse", target(host));
        System.out.println("20 parallel guesses at the Gateway: " + evaluated + " evaluated; then the right password: "
                + right);
        assertTrue(evaluated <= 5, "at most 5 evaluated, was " + evaluated);
    }

    @Test
    void aTargetOutsideTheUsersPatternsIsRefused() throws Exception {
        gw.user("bob", "pw", "lan", "10.0.0.*,terminal-server:*");
        Endpoint host = host(Echo::new);
        String why = refusal("lan", "bob", "pw", target(host));
        assertTrue(why.contains("refused the route to " + target(host) + ": user bob may not reach " + target(host)
                + " (allowed: 10.0.0.*, terminal-server:*)"), why);
        AuditEvent e = event(EventCodes.TANDEM_GATEWAY_ROUTE_REFUSED);
        assertEquals("bob", e.user());
        // A pattern's * does not cross a dot: a name that merely starts like an allowed address is refused.
        assertTrue(refusal("lan", "bob", "pw", "10.0.0.1.evil.example:6502").contains("may not reach"));
        assertFalse(gw.codes().contains(EventCodes.TANDEM_GATEWAY_ROUTE_OPENED));
    }

    @Test
    void aGroupTheUserMayNotUseAndAnUnknownGroupAreRefused() throws Exception {
        gw.gateway.groups.put("dmz", List.of("out"));
        Endpoint host = host(Echo::new);
        String why = refusal("dmz", "alice", "correct horse", target(host));
        assertTrue(why.contains("user alice may not use the device group 'dmz'"), why);
        why = refusal("nowhere", "alice", "correct horse", target(host));
        assertTrue(why.contains("there is no device group 'nowhere' on this Gateway"), why);
    }

    @Test
    void anUnreachableHostIsExplained() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String why = refusal("lan", "alice", "correct horse", "127.0.0.1:" + port);
        assertTrue(why.contains("cannot reach 127.0.0.1:" + port + ": profile 'out': cannot connect to tcp:127.0.0.1:"
                + port), why);
        assertTrue(why.toLowerCase().contains("refused"), why);
        assertTrue(event(EventCodes.TANDEM_GATEWAY_ROUTE_REFUSED).detail().contains("cannot reach"));
    }

    @Test
    void aGroupWithoutUsableProfileSaysSo() throws Exception {
        gw.gateway.groups.put("broken", List.of("missing"));
        gw.user("carol", "pw", "*", "**");
        String why = refusal("broken", "carol", "pw", "127.0.0.1:1");
        assertTrue(why.contains("device group 'broken' has no usable profile (profile 'missing' is not configured)"), why);
    }

    @Test
    void closingEitherSideClosesTheOtherAfterWhatWasSent() throws Exception {
        BlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
        Endpoint host = host(() -> {
            Recorder r = new Recorder();
            accepted.add(r);
            return r;
        });
        Recorder mine = new Recorder();
        Link link = connect("lan", "alice", "correct horse", target(host), mine);
        for (int i = 0; i < 20; i++) {
            link.send(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        link.close("the supporter is done");
        Recorder theirs = accepted.poll(WAIT, TimeUnit.SECONDS);
        assertNotNull(theirs);
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(new byte[] {(byte) i}, theirs.next());
        }
        assertNotNull(theirs.closed.get(WAIT, TimeUnit.SECONDS));
        assertTrue(event(EventCodes.TANDEM_GATEWAY_ROUTE_CLOSED).detail().contains("20 bytes to the Host"));

        // and the other way: the Host ends it
        Recorder second = new Recorder();
        connect("lan", "alice", "correct horse", target(host), second);
        Recorder hostSide = accepted.poll(WAIT, TimeUnit.SECONDS);
        Link hostLink = hostSide.opened.get(WAIT, TimeUnit.SECONDS);
        hostLink.send(ByteBuffer.wrap(new byte[] {7}));
        hostLink.close("the Host ends the session");
        assertArrayEquals(new byte[] {7}, second.next());
        assertNotNull(second.closed.get(WAIT, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (!gw.gateway.routes.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(gw.gateway.routes.isEmpty(), "routes left open: " + gw.gateway.routes.size());
    }

    @Test
    void anIdleRouteClosesAfterTheIdleTimeout() throws Exception {
        gw.gateway.settings = new GatewaySettings("gw", 5, 10, 30, 1, 16 << 20);
        Endpoint host = host(Echo::new);
        Recorder mine = new Recorder();
        Link link = connect("lan", "alice", "correct horse", target(host), mine);
        link.send(ByteBuffer.wrap(new byte[] {1}));
        mine.next();
        assertNotNull(mine.closed.get(10, TimeUnit.SECONDS));
        assertTrue(event(EventCodes.TANDEM_GATEWAY_ROUTE_CLOSED).detail().contains("idle timeout"));
    }

    @Test
    void theGuestCanListTheGroupsItMayUse() throws Exception {
        gw.gateway.groups.put("dmz", List.of("out"));
        gw.gateway.groups.put("wan", List.of("out"));
        gw.user("dave", "pw", "lan,wan", "**");
        assertEquals(List.of("lan", "wan"), guest.groups(gw.guestProfile("", "dave", "pw")).toCompletableFuture()
                .get(WAIT, TimeUnit.SECONDS));
    }

    @Test
    void theGatewayDeviceDoesNotListen() {
        IOException e = assertThrows(IOException.class, () -> guest.listen(gw.guestProfile("lan", "a", "b"), l -> null));
        assertTrue(e.getMessage().contains("cannot listen"), e.getMessage());
    }

    @Test
    void aProfileWithoutGatewayAddressIsRefusedClearly() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> guest.connect(
                new CommunicationProfile("p", "gateway", Map.of("user", "a", "password", "b")), "10.0.0.1", new Recorder())
                .toCompletableFuture().get(WAIT, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("must name the Gateway as DEVICE:ADDRESS"), e.getCause().getMessage());
    }

    /**
     * 64 MiB each way at once, through a Host and a Guest that take messages slowly: nothing is lost,
     * and the Gateway never queues more than a few MiB because it pauses the faster side.
     */
    @Test
    void theSpliceCarries64MiBBothWaysWithBoundedMemory() throws Exception {
        gw.close();
        gw = new GatewayFixture(1 << 20);
        gw.user("alice", "correct horse", "lan", "127.0.0.1:*");
        guest = gw.guestDevice();
        int chunk = 256 * 1024;
        int count = 256; // 64 MiB
        CompletableFuture<Link> hostLink = new CompletableFuture<>();
        SlowSink atHost = new SlowSink(hostLink);
        Endpoint host = host(() -> atHost);
        SlowSink atGuest = new SlowSink(new CompletableFuture<>());
        Link link = connect("lan", "alice", "correct horse", target(host), atGuest);
        Link hl = hostLink.get(WAIT, TimeUnit.SECONDS);
        MessageDigest sentToHost = MessageDigest.getInstance("SHA-256");
        MessageDigest sentToGuest = MessageDigest.getInstance("SHA-256");
        Thread fromHost = new Thread(() -> pump(hl, atHost, chunk, count, 2, sentToGuest));
        fromHost.start();
        pump(link, atGuest, chunk, count, 1, sentToHost);
        fromHost.join(120_000);
        long total = (long) chunk * count;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while ((atHost.received.get() < total || atGuest.received.get() < total) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(total, atHost.received.get());
        assertEquals(total, atGuest.received.get());
        assertArrayEquals(sentToHost.digest(), atHost.digest.digest());
        assertArrayEquals(sentToGuest.digest(), atGuest.digest.digest());
        Splice splice = gw.gateway.routes.iterator().next();
        assertTrue(splice.peakQueued() <= 4 << 20, "the Gateway queued " + splice.peakQueued() + " bytes");
        assertEquals(total, splice.bytesToHost());
        assertEquals(total, splice.bytesToGuest());
    }

    /** Takes its messages slowly (blocking its own device's I/O thread a little) and hashes them. */
    static final class SlowSink extends Recorder {
        final MessageDigest digest;
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Link> link;
        int n;

        SlowSink(CompletableFuture<Link> link) throws Exception {
            this.digest = MessageDigest.getInstance("SHA-256");
            this.link = link;
        }

        @Override
        public void opened(Link l) {
            super.opened(l);
            link.complete(l);
        }

        @Override
        public void received(Link l, ByteBuffer message) {
            // The digest first: the test reads it once the count is complete, so the count must be the
            // last thing the receiving thread changes (a CI run read it while the last update ran).
            int size = message.remaining();
            digest.update(message);
            received.addAndGet(size);
            if (++n % 4 == 0) {
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Sends {@code count} chunks as a bulk sender does: waits while congested until writable(). */
    private static void pump(Link link, Recorder events, int chunk, int count, int seed, MessageDigest sent) {
        Random r = new Random(seed);
        try {
            for (int i = 0; i < count; i++) {
                byte[] m = new byte[chunk];
                r.nextBytes(m);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
                while (link.congested()) {
                    int before = events.writable.get();
                    while (link.congested() && events.writable.get() == before) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("congested for " + WAIT + " s without writable()");
                        }
                        Thread.sleep(1);
                    }
                }
                sent.update(m);
                link.send(ByteBuffer.wrap(m));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void twoChainedGatewaysCarryASession() throws Exception {
        // Gateway 1's group "far" reaches Hosts through Gateway 2 (group lan), with the gateway device.
        try (GatewayFixture second = new GatewayFixture()) {
            second.user("gw1", "relay secret", "lan", "127.0.0.1:*");
            GatewayDevice chain = gw.guestDevice();
            gw.gateway.devices.add(chain);
            Map<String, String> s = new HashMap<>();
            s.put("gateway", second.address());
            s.put("group", "lan");
            s.put("user", "gw1");
            s.put("password", "relay secret");
            gw.gateway.profiles.put("via-second", new CommunicationProfile("via-second", "gateway", s));
            gw.gateway.groups.put("far", List.of("via-second"));
            gw.user("alice", "correct horse", "lan,far", "127.0.0.1:*");
            Endpoint host = host(Echo::new);
            Recorder mine = new Recorder();
            Link link = connect("far", "alice", "correct horse", target(host), mine);
            byte[] m = new byte[300_000];
            new Random(3).nextBytes(m);
            link.send(ByteBuffer.wrap(m));
            assertArrayEquals(m, mine.next());
            assertEquals("gw1", second.events.stream().filter(e -> e.code().equals(EventCodes.GATEWAY_ACCESS_ALLOWED))
                    .findFirst().orElseThrow().user());
            assertEquals(1, second.gateway.routes.size());
            link.close("done");
            assertNotNull(mine.closed.get(WAIT, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            while (!second.gateway.routes.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(second.gateway.routes.isEmpty(), "closing at the Guest closed the route on the second Gateway");
            // A refusal at the second Gateway reaches the Guest with its reason.
            String why = refusal("far", "alice", "correct horse", "127.0.0.1:1");
            assertTrue(why.contains("cannot reach 127.0.0.1:1: profile 'via-second'"), why);
            assertTrue(why.contains("cannot reach 127.0.0.1:1: profile 'out'"), why);
        }
    }
}
