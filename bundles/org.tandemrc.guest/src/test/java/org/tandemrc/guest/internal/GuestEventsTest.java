package org.tandemrc.guest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.MemoryLink;
import org.tandemrc.api.testing.EventLog;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.SrpHost;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.PasswordVerifier;

/**
 * The Guest keeps its own event log: call, logon, wrong password, every session, hang-up, lost connection;
 * and answers a Host whose method must see the password, with the one-time code when asked.
 */
class GuestEventsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HOST_ADDRESS = "192.0.2.10:6502";
    private static final char[] PASSWORD = "correct horse battery".toCharArray();

    @TempDir
    Path home;
    private final GuestConnector guest = new GuestConnector();
    private final EventLog events = new EventLog();
    private final List<Connection> hosts = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean forgeHostHello;
    /** How the fake Host answers: null to run the logon, else the control message it sends instead. */
    private volatile ControlMessage logonAnswer;
    /** What the fake Host answers to the proof instead of checking it, or null. */
    private volatile ControlMessage proofAnswer;
    /** Every proof the fake Host received. */
    private final List<ControlMessage> proofs = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean denySessions;
    private volatile boolean unreachable;

    /** A Host on the protocol jar: shared password, role "View only", accepts every session. */
    private final class FakeHost implements Connection.Listener {
        private final SrpHost logon = new SrpHost(PasswordVerifier.create("*", PASSWORD, RANDOM), RANDOM);

        @Override
        public void secured(Connection c) {
        }

        @Override
        public void control(Connection c, ControlMessage m) throws ProtocolException {
            switch (m.type()) {
                case "auth.start" -> {
                    if (logonAnswer != null) {
                        c.send(logonAnswer);
                        return;
                    }
                    logon.challenge(c);
                }
                case "auth.proof" -> {
                    proofs.add(m);
                    if (proofAnswer != null) {
                        c.send(proofAnswer);
                        return;
                    }
                    try {
                        byte[] proof = logon.verify(c, m);
                        c.send(ControlMessage.of("auth.ok").with("proof", proof).with("role", "View only")
                                .with("privileges", "view_screen,remote_management").with("host", "reception-pc"));
                    } catch (AuthenticationFailed e) {
                        c.send(ControlMessage.of("auth.failed").with("reason", "wrong Guest ID or password"));
                    }
                }
                default -> throw new ProtocolException("unexpected " + m.type());
            }
        }

        @Override
        public void openRequested(Connection c, Connection.OpenRequest request) {
            if (denySessions) {
                request.deny("the person at the Host said no");
                return;
            }
            request.accept().attach(idleHandler());
        }

        @Override
        public void closed(Connection c, String reason) {
        }
    }

    /** A device whose connections reach a fake Host in memory. */
    private final class MemoryDevice implements CommunicationDevice {
        private final HostIdentity identity = HostIdentity.generate(RANDOM);

        @Override
        public String type() {
            return "tcp";
        }

        @Override
        public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
            if (unreachable) {
                return CompletableFuture.failedFuture(new java.net.ConnectException("connection refused"));
            }
            MemoryLink[] ends = MemoryLink.pair(HOST_ADDRESS, "192.0.2.50:40000");
            Connection host = Connection.host(identity, "reception-pc", "", new FakeHost(), null,
                    RANDOM);
            hosts.add(host);
            ends[1].alter = forgeHostHello ? b -> {
                if (b.length > 100 && b[5] == 2) {
                    b[b.length - 70] ^= 1; // inside the Host's identity key, which its signature covers
                }
                return b;
            } : b -> b;
            ends[1].start(host);
            ends[0].start(handler);
            return CompletableFuture.completedFuture(ends[0]);
        }
    }

    private record Kind(String id, String title) implements SessionType {
        @Override
        public Set<Privilege> requiredPrivileges() {
            return EnumSet.noneOf(Privilege.class);
        }

        @Override
        public SessionHandler open(SessionContext context) {
            return idleHandler();
        }
    }

    private static SessionHandler idleHandler() {
        return new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
            }

            @Override
            public void closed(String reason) {
            }
        };
    }

    @BeforeEach
    void start() {
        guest.devices.add(new MemoryDevice());
        guest.bindSessionType(new Kind("remote-control", "Remote Control"));
        guest.bindSessionType(new Kind("tools", "Remote Management"));
        guest.bindSink(events);
        guest.activate(home);
    }

    @AfterEach
    void stop() {
        guest.deactivate();
    }

    @Test
    void aSessionOnTheGuestIsRecordedFromCallToHangUp() throws Exception {
        HostConnection c = guest.connect(new ConnectRequest("127.0.0.1", null, PASSWORD, false));
        assertEquals("127.0.0.1:6502", events.await(EventCodes.GUEST_CALL).peer().replace("tcp:", ""));
        AuditEvent user = events.await(EventCodes.GUEST_USER_AUTHENTICATED);
        assertEquals(HOST_ADDRESS, user.peer());
        assertEquals("reception-pc: role View only", user.detail());

        String[][] expected = {
            {"remote-control", EventCodes.GUEST_REMOTE_CONTROL_STARTED, EventCodes.GUEST_REMOTE_CONTROL_STOPPED},
            {"tools", EventCodes.GUEST_REMOTE_MANAGEMENT_STARTED, EventCodes.GUEST_REMOTE_MANAGEMENT_STOPPED},
        };
        for (String[] x : expected) {
            SessionContext s = c.open(x[0], ChannelPriority.CONTROL, List.of(), ctx -> idleHandler());
            AuditEvent started = events.await(x[1]);
            assertEquals(HOST_ADDRESS, started.peer());
            assertEquals(GuestConnector.localName(), started.user());
            assertTrue(started.detail().startsWith("reception-pc: ") && started.detail().endsWith(", role View only"),
                    started.detail());
            s.channel().close("the supporter closed it");
            AuditEvent stopped = events.await(x[2]);
            assertTrue(stopped.detail().endsWith("role View only: the supporter closed it"), stopped.detail());
        }
        c.close("the supporter is done");
        AuditEvent bye = events.await(EventCodes.GUEST_DISCONNECT);
        assertEquals(HOST_ADDRESS, bye.peer());
        assertEquals("reception-pc: the supporter is done", bye.detail());
        Thread.sleep(200);
        assertTrue(events.recorded().stream().noneMatch(e -> e.code().equals(EventCodes.CONNECTION_LOST)), events.recorded().toString());
        assertTrue(events.recorded().stream().allMatch(e -> !e.node().isEmpty()), "the node column names this Guest");
    }

    @Test
    void aWrongPasswordAndALostConnectionAreRecorded() throws Exception {
        GuestException wrong = assertThrows(GuestException.class,
                () -> guest.connect(new ConnectRequest("127.0.0.1", null, "guess".toCharArray(), false)));
        assertTrue(wrong.getMessage().startsWith("logon failed"), wrong.getMessage());
        assertEquals(GuestException.Reason.WRONG_PASSWORD, wrong.reason());
        AuditEvent rejected = events.await(EventCodes.PASSWORD_REJECTED);
        assertEquals(HOST_ADDRESS, rejected.peer());

        guest.connect(new ConnectRequest("127.0.0.1", null, PASSWORD, false));
        hosts.get(1).close("the Host is stopping");
        AuditEvent lost = events.await(EventCodes.CONNECTION_LOST);
        assertEquals(HOST_ADDRESS, lost.peer());
        assertEquals("reception-pc: closed by the Host: the Host is stopping", lost.detail());
    }

    @Test
    void aHostThatBreaksTheProtocolIsRecordedWithItsAddress() throws Exception {
        forgeHostHello = true;
        GuestException e = assertThrows(GuestException.class,
                () -> guest.connect(new ConnectRequest("127.0.0.1", null, PASSWORD, false)));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
        assertEquals(GuestException.Reason.PROTOCOL_ERROR, e.reason());
        AuditEvent broken = events.await(EventCodes.TANDEM_PROTOCOL_ERROR);
        assertEquals(HOST_ADDRESS, broken.peer());
        assertTrue(broken.detail().endsWith("protocol error: the Host's signature of the key exchange is invalid"),
                broken.detail());
    }

    private GuestException.Reason failure(String address, char[] password, boolean acceptChangedKey) {
        return assertThrows(GuestException.class,
                () -> guest.connect(new ConnectRequest(address, null, password, acceptChangedKey))).reason();
    }

    /** Front ends decide by these reasons (HTTP status, exit code), never by the sentence. */
    @Test
    void everyFailureSaysItsReason() throws Exception {
        unreachable = true;
        assertEquals(GuestException.Reason.UNREACHABLE, failure("127.0.0.1", PASSWORD, false));
        unreachable = false;
        assertEquals(GuestException.Reason.INVALID_REQUEST, assertThrows(GuestException.class,
                () -> guest.connect(new ConnectRequest("127.0.0.1", null, PASSWORD, false, "nosuch"))).reason());

        logonAnswer = ControlMessage.of("auth.refused").with("reason", "this Host accepts individual Guest IDs");
        assertEquals(GuestException.Reason.LOGON_REFUSED, failure("127.0.0.1", PASSWORD, false));
        logonAnswer = ControlMessage.of("auth.refused").with("reason", "locked out").with("final", "1");
        assertEquals(GuestException.Reason.LOCKED_OUT, failure("127.0.0.1", PASSWORD, false));
        logonAnswer = ControlMessage.of("auth.ok");
        assertEquals(GuestException.Reason.PROTOCOL_ERROR, failure("127.0.0.1", PASSWORD, false));
        logonAnswer = null;
        proofAnswer = ControlMessage.of("auth.failed").with("reason", "too many wrong passwords").with("final", "1");
        assertEquals(GuestException.Reason.LOCKED_OUT, failure("127.0.0.1", PASSWORD, false));
        proofAnswer = null;

        denySessions = true;
        HostConnection c = guest.connect(new ConnectRequest("127.0.0.1", null, PASSWORD, false));
        GuestException refused = assertThrows(GuestException.class,
                () -> c.open("tools", ChannelPriority.CONTROL, List.of(), ctx -> idleHandler()));
        assertEquals(GuestException.Reason.SESSION_REFUSED, refused.reason());
        c.close();

        // Another device instance is another Host key for the pinned address.
        guest.devices.add(new MemoryDevice());
        assertEquals(GuestException.Reason.KEY_CHANGED, failure("127.0.0.1", PASSWORD, false));
        guest.connect(new ConnectRequest("127.0.0.1", null, PASSWORD, true)).close();
    }

    /** What the Host's side of a connection gets when it opens {@code type} on the Guest: the channel or the refusal. */
    private static Object hostOpens(Connection host, String type) throws Exception {
        try {
            return host.open(type, org.tandemrc.protocol.Priority.CONTROL).toCompletableFuture()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof org.tandemrc.protocol.SessionDenied, String.valueOf(e.getCause()));
            return e.getCause().getMessage();
        }
    }

    /** A Host attacks the supporter: it opens sessions on the Guest that the Guest never asked for. */
    @Test
    void aHostOpensNothingButAChatTheGuestsProgramTakesOneAtATime() throws Exception {
        HostConnection c = guest.connect(new ConnectRequest("127.0.0.1", null, PASSWORD, false));
        Connection host = hosts.get(0);
        for (String type : List.of("remote-control", "tools", "file-transfer", "\u001b[2Jevil")) {
            assertTrue(hostOpens(host, type) instanceof String refused && refused.startsWith("a Host may not open a "),
                    type);
        }
        AuditEvent attack = events.await(EventCodes.TANDEM_PRIVILEGE_REFUSED);
        assertEquals(HOST_ADDRESS, attack.peer());
        assertEquals("reception-pc: the Host tried to open a remote-control session on this Guest", attack.detail());
        assertTrue(events.recorded().stream().noneMatch(e -> e.detail().contains("\u001b")), "escaped in the events");
        assertEquals("the Guest's program takes no chat the Host opens", hostOpens(host, "chat"),
                "no front end registered for it");
        assertEquals(GuestException.Reason.INVALID_REQUEST, assertThrows(GuestException.class,
                () -> c.answer("remote-control", ctx -> idleHandler())).reason(), "a front end cannot open the door");

        List<String> heard = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> ended = new CompletableFuture<>();
        Runnable stop = c.answer("chat", ctx -> {
            assertEquals("reception-pc", ctx.hostName());
            return new SessionHandler() {
                @Override
                public void received(ByteBuffer message) {
                    heard.add(java.nio.charset.StandardCharsets.UTF_8.decode(message).toString());
                }

                @Override
                public void closed(String reason) {
                    ended.complete(reason);
                }
            };
        });
        org.tandemrc.protocol.SessionChannel chat = (org.tandemrc.protocol.SessionChannel) hostOpens(host, "chat");
        chat.send(ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        AuditEvent started = events.await(EventCodes.GUEST_CHAT_STARTED);
        assertTrue(started.detail().endsWith("(opened by the Host)"), started.detail());
        assertEquals("a chat you opened is open already", hostOpens(host, "chat"), "one at a time");
        long end = System.currentTimeMillis() + 5000;
        while (heard.isEmpty() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        assertEquals(List.of("hello"), heard);
        chat.close("the person at the Host ended the chat");
        String reason = ended.get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(reason.endsWith("the person at the Host ended the chat"), reason);
        events.await(EventCodes.GUEST_CHAT_STOPPED);
        // Closed, the next chat may open; once the program stops taking them, it is refused again.
        ((org.tandemrc.protocol.SessionChannel) hostOpens(host, "chat")).close("again");
        stop.run();
        Thread.sleep(200);
        assertEquals("the Guest's program takes no chat the Host opens", hostOpens(host, "chat"));

        // A program that declines (null) closes the channel it was given.
        c.answer("chat", ctx -> null);
        org.tandemrc.protocol.SessionChannel declined = (org.tandemrc.protocol.SessionChannel) hostOpens(host, "chat");
        CompletableFuture<String> why = new CompletableFuture<>();
        declined.attach(new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
            }

            @Override
            public void closed(String reason) {
                why.complete(reason);
            }
        });
        assertTrue(why.get(5, java.util.concurrent.TimeUnit.SECONDS).endsWith("the Guest did not take the chat"),
                why.toString());
        c.close();
    }

    @Test
    void aPasswordChallengeIsAnsweredWithThePasswordAndTheCodeOnlyWhenAsked() throws Exception {
        logonAnswer = LogonMessages.challenge(PasswordLogon.challenge(true));
        proofAnswer = ControlMessage.of("auth.ok").with("role", "View only").with("privileges", "view_screen")
                .with("host", "reception-pc");
        GuestException noCode = assertThrows(GuestException.class,
                () -> guest.connect(new ConnectRequest("127.0.0.1", "carol", PASSWORD, false)));
        assertEquals(GuestException.Reason.LOGON_REFUSED, noCode.reason());
        assertEquals(ConnectRequest.CODE_REQUIRED + ": pass --otp CODE", noCode.getMessage());
        assertEquals(List.of(), proofs, "without a code nothing is sent, not even the password");

        HostConnection c = guest.connect(new ConnectRequest("127.0.0.1", "carol", PASSWORD, false, "", " 123456 "));
        assertEquals("View only", c.role());
        c.close();
        ControlMessage proof = proofs.get(0);
        assertEquals(new String(PASSWORD), proof.text(PasswordLogon.PASSWORD));
        assertEquals("123456", proof.text(PasswordLogon.OTP));
        assertEquals(Set.of(PasswordLogon.PASSWORD, PasswordLogon.OTP), proof.fields().keySet());

        logonAnswer = LogonMessages.challenge(PasswordLogon.challenge(false));
        guest.connect(new ConnectRequest("127.0.0.1", "carol", PASSWORD, false, "", "123456")).close();
        assertEquals(Set.of(PasswordLogon.PASSWORD), proofs.get(1).fields().keySet(),
                "a code the Host did not ask for stays on the Guest");
    }

    @Test
    void aHostThatDialedInWithAHelpRequestGetsNoPasswordItAsksFor() throws Exception {
        logonAnswer = LogonMessages.challenge(PasswordLogon.challenge(false));
        MemoryLink[] ends = MemoryLink.pair(HOST_ADDRESS, "192.0.2.50:40000");
        Connection host = Connection.host(HostIdentity.generate(RANDOM), "reception-pc", "", new FakeHost(), null, RANDOM);
        GuestConnector.GuestListener listener = new GuestConnector.GuestListener();
        Connection c = Connection.guest("supporter", "", listener, null, RANDOM);
        ends[1].start(host);
        ends[0].start(c);
        GuestConnector.awaitSecured(listener);
        // The help desk's logon: the key of a Host that dialed in was never compared with a pinned one.
        GuestException e = assertThrows(GuestException.class, () -> GuestConnector.logOn(c, listener, guest.events,
                "carol", PASSWORD, RANDOM, java.util.Map.of(), HOST_ADDRESS, "SHA256:x", "dialed in"));
        assertEquals(GuestException.Reason.LOGON_REFUSED, e.reason());
        assertTrue(e.getMessage().endsWith("the password was not sent"), e.getMessage());
        assertEquals(List.of(), proofs);
        c.close("done");
    }
}
