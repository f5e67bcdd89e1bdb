package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.adhoc.JoinedSupport;
import org.tandemrc.api.adhoc.JoinedSupportEnded;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.protocol.Support;

/**
 * A support session end to end on loopback: a supporter's Guest creates it, a Host with nothing but the
 * code ({@code support-code}, no account, no password) joins, the supporter connects to
 * {@code support:CODE} and data flows through a real relay; ending it closes the temporary Host.
 */
class WebConnectSupportTest extends TwoWebConnectDevices {

    @Override
    protected ManagerServer startManager(Deployment d) throws Exception {
        return d.manager();
    }

    /** The supporter's control connection, logged on as a Guest of the account. */
    private Control supporter() throws Exception {
        Control c = Control.open(group, manager.address(), 5000);
        c.logon(Deployment.ACCOUNT, Deployment.PASSWORD.toCharArray(), "guest", 10_000);
        return c;
    }

    /** A temporary Host's profile: the manager and the code, nothing else. */
    private Map<String, String> temporaryHost(String code) {
        Map<String, String> s = new HashMap<>();
        s.put("manager", manager.address());
        s.put("support-code", code);
        s.put("reconnect-timeout", "5");
        return s;
    }

    private Link connect(String target, LinkHandler handler) throws Exception {
        return guest.connect(profile(Deployment.settings(manager, null)), target, handler).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void aHostWithOnlyTheCodeJoinsAndTheSupporterConnectsUntilTheSessionEnds() throws Exception {
        deployment.relay();
        try (Control sam = supporter()) {
            Support.Session s = sam.support(new Support.Create("Sam Supporter", 0, 0).frame(), 10_000);
            Transfer.Sink sink = new Transfer.Sink(6);
            try (Endpoint e = host.listen(profile(temporaryHost(Support.display(s.code()))), l -> sink)) {
                HostEndpoint he = (HostEndpoint) e;
                assertEquals("Sam Supporter", he.supporter(), "the person sees who helps");
                assertEquals("webconnect:support-" + s.code() + "@" + manager.address(), e.address());
                Link first = connect("support:" + s.code(), new Transfer.Source());
                first.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                Link second = connect("support:" + s.code(), new Transfer.Source());
                second.send(ByteBuffer.wrap(new byte[] {4, 5, 6}));
                sink.done.get(10, TimeUnit.SECONDS);

                // A second computer with the same code is refused: the code is spent.
                IOException other = assertThrows(IOException.class,
                        () -> host.listen(profile(temporaryHost(s.code())), l -> sink));
                assertTrue(other.getMessage().contains("the support code is not valid"), other.getMessage());

                assertEquals("ended", sam.support(new Support.Change(Support.END, s.code()).frame(), 10_000).state());
                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> connect("support:" + s.code(), new Transfer.Source()));
                assertTrue(refused.getCause().getMessage().contains("no active support session"),
                        refused.getCause().getMessage());
                // The temporary Host learns it is over and stops trying.
                long deadline = System.currentTimeMillis() + 15_000;
                while (!he.closed() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(he.closed(), "the temporary Host stopped after the session ended");
                JoinedSupportEnded end = he.joinedSupport().ended().toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertEquals(JoinedSupportEnded.By.SUPPORTER, end.by(), end.reason());
            }
        }
    }

    /**
     * Going offline does not end a session: its manager gone, the temporary Host dials the next one and
     * rejoins, the session going on; the supporter's end there ends it, and the Host is told so.
     */
    @Test
    void aDroppedConnectionIsNotTheEndTheSupportersIs() throws Exception {
        deployment.relay();
        ManagerServer second = deployment.manager();
        try (Control sam = supporter()) {
            Support.Session s = sam.support(new Support.Create("Sam Supporter", 0, 0).frame(), 10_000);
            Map<String, String> settings = temporaryHost(s.code());
            settings.put("manager", manager.address() + "," + second.address());
            try (Endpoint e = host.listen(profile(settings), l -> null)) {
                HostEndpoint he = (HostEndpoint) e;
                JoinedSupport joined = he.joinedSupport();
                manager.stop();
                long deadline = System.currentTimeMillis() + 15_000;
                while (!(he.registered() && he.via().contains(Integer.toString(port(second))))
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertTrue(he.registered(), "it rejoined at the second manager");
                assertFalse(joined.ended().toCompletableFuture().isDone(), "the session goes on");
                try (Control atSecond = Control.open(group, second.address(), 5000)) {
                    atSecond.logon(Deployment.ACCOUNT, Deployment.PASSWORD.toCharArray(), "guest", 10_000);
                    atSecond.support(new Support.Change(Support.END, s.code()).frame(), 10_000);
                }
                JoinedSupportEnded end = joined.ended().toCompletableFuture().get(15, TimeUnit.SECONDS);
                assertEquals(JoinedSupportEnded.By.SUPPORTER, end.by(), end.reason());
                assertTrue(he.closed(), "it does not dial again");
            }
        }
    }

    private static int port(ManagerServer m) {
        String a = m.address();
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    /** End support at the temporary Host ends the session at the manager too: the supporter can no longer connect. */
    @Test
    void thePersonEndsTheSession() throws Exception {
        deployment.relay();
        try (Control sam = supporter()) {
            Support.Session s = sam.support(new Support.Create("Sam Supporter", 0, 0).frame(), 10_000);
            try (Endpoint e = host.listen(profile(temporaryHost(s.code())), l -> null)) {
                JoinedSupport joined = ((HostEndpoint) e).joinedSupport();
                assertEquals("Sam Supporter", joined.supporter());
                assertEquals(Deployment.ACCOUNT, joined.account());
                assertTrue(joined.ends().isAfter(java.time.Instant.now()), "the lifetime started at the join");
                joined.end();
                JoinedSupportEnded end = joined.ended().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertEquals(JoinedSupportEnded.By.PERSON, end.by(), end.reason());
                assertTrue(end.reason().contains("ended by the person at the temporary Host"), end.reason());
                assertTrue(((HostEndpoint) e).closed(), "it does not dial again");
                Control.Refused gone = assertThrows(Control.Refused.class,
                        () -> sam.support(new Support.Change(Support.STATUS, s.code()).frame(), 10_000));
                assertTrue(gone.getMessage().contains("no open support session"), gone.getMessage());
            }
        }
    }

    @Test
    void aWrongCodeIsRefusedAndTheCodeIsForHostsOnly() throws Exception {
        deployment.relay();
        IOException wrong = assertThrows(IOException.class,
                () -> host.listen(profile(temporaryHost("000 000 000")), l -> null));
        assertTrue(wrong.getMessage().contains("the support code is not valid"), wrong.getMessage());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> host.listen(profile(temporaryHost("12345")), l -> null));
        assertTrue(typo.getMessage().contains("support-code is 9 digits"), typo.getMessage());
        Map<String, String> guestWithCode = Deployment.settings(manager, null);
        guestWithCode.put("support-code", "123456789");
        Exception g = assertThrows(Exception.class,
                () -> guest.connect(profile(guestWithCode), "support:123456789", new Transfer.Source()).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        assertTrue(String.valueOf(g.getMessage()).contains("support-code is for a Host"), g.getMessage());
    }
}
