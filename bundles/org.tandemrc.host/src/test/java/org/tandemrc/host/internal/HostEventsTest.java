package org.tandemrc.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.MemoryLink;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.Priority;
import org.tandemrc.protocol.SessionChannel;

/** What the Host records of hostile and ordinary Guests: one line per event, the peer's address, every session. */
class HostEventsTest {

    @TempDir
    Path dir;
    private HostHarness host;
    private StreamHandler nodeLogHandler;
    private final Logger auditLogger = Logger.getLogger("org.tandemrc.host.audit");
    private final ByteArrayOutputStream nodeLog = new ByteArrayOutputStream();

    /** A session type that does nothing but exist, as a Host would offer it. */
    record Idle(String id, String title, Set<Privilege> requiredPrivileges) implements SessionType {
        @Override
        public boolean needsConsent() {
            return false;
        }

        @Override
        public SessionHandler open(SessionContext context) {
            return new SessionHandler() {
                @Override
                public void received(ByteBuffer message) {
                }

                @Override
                public void closed(String reason) {
                }
            };
        }
    }

    private HostHarness host() throws Exception {
        host = new HostHarness(dir,
                new Idle("remote-control", "Remote Control", EnumSet.of(Privilege.VIEW_SCREEN)),
                new Idle("remote-input", "Keyboard and Mouse", EnumSet.of(Privilege.CONTROL_INPUT)),
                new Idle("tools", "Remote Management", EnumSet.of(Privilege.REMOTE_MANAGEMENT)));
        return host;
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (nodeLogHandler != null) {
            auditLogger.removeHandler(nodeLogHandler);
        }
    }

    /** The node log (data/log/tandem.log) as the launcher formats it. */
    private void captureNodeLog() {
        Formatter f = new SimpleFormatter() {
            @Override
            public String format(LogRecord r) {
                return String.format("%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n", new java.util.Date(r.getMillis()),
                        r.getSourceClassName(), r.getLoggerName(), r.getLevel().getName(), formatMessage(r), "");
            }
        };
        nodeLogHandler = new StreamHandler(nodeLog, f);
        auditLogger.addHandler(nodeLogHandler);
    }

    @Test
    void aGuestNameWithALineEndForgesNoLogonInTheNodeLog() throws Exception {
        host();
        captureNodeLog();
        String forged = "mallory\n2026-12-04 19:00:00.000 INFO    [org.tandemrc.host.audit] HSES+ peer=10.1.2.3:6502"
                + " user=admin logged on with role Full access";
        HostHarness.GuestEnd g = host.connect(forged);
        assertEquals("auth.failed", host.logOn(g, "wrong".toCharArray()).type());
        AuditEvent e = host.await(EventCodes.PASSWORD_REJECTED);
        assertEquals(forged, e.user());
        nodeLogHandler.flush();
        List<String> lines = nodeLog.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(host.events.recorded().size(), lines.size(), "one node-log line per event: " + lines);
        assertFalse(lines.stream().anyMatch(l -> l.matches("\\S+ \\S+ \\w+ +\\[[\\w.]+\\] HSES\\+.*")),
                "a forged logon line: " + lines);
        assertTrue(lines.get(0).contains("user=mallory\\n2026-12-04"), lines.get(0));
    }

    @Test
    void aFailedHandshakeIsRecordedWithThePeersAddress() throws Exception {
        host();
        MemoryLink[] links = MemoryLink.pair("192.0.2.1:6502", HostHarness.GUEST_ADDRESS);
        links[0].start(new org.tandemrc.api.comm.LinkHandler() {
            @Override
            public void received(org.tandemrc.api.comm.Link link, ByteBuffer message) {
            }

            @Override
            public void closed(org.tandemrc.api.comm.Link link, String reason) {
            }
        });
        links[1].start(host.access.accept(links[1]));
        links[0].sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        AuditEvent e = host.await(EventCodes.TANDEM_PROTOCOL_ERROR);
        assertEquals(HostHarness.GUEST_ADDRESS, e.peer());
        assertEquals("protocol error: the peer does not speak the Tandem protocol", e.detail());
    }

    @Test
    void aForgedRecordIsRecordedWithThePeersAddress() throws Exception {
        host();
        HostHarness.GuestEnd g = host.connect("eve");
        AtomicInteger n = new AtomicInteger();
        g.link.alter = b -> {
            if (n.incrementAndGet() == 2) {
                b[b.length - 1] ^= 1;
            }
            return b;
        };
        g.connection.send(ControlMessage.of("auth.start").with("method", "shared-password"));
        g.connection.send(ControlMessage.of("auth.start").with("method", "shared-password"));
        AuditEvent e = host.await(EventCodes.TANDEM_PROTOCOL_ERROR);
        assertEquals(HostHarness.GUEST_ADDRESS, e.peer());
        assertEquals("eve", e.user());
        assertTrue(e.detail().startsWith("protocol error: record 1 failed authentication"), e.detail());
    }

    @Test
    void everySessionStartAndEndIsAnEventWithPeerAndRole() throws Exception {
        host();
        HostHarness.GuestEnd g = host.connect("alice@desk");
        assertEquals("auth.ok", host.logOn(g, host.password).type());
        String[][] expected = {
            {"remote-control", EventCodes.HOST_REMOTE_CONTROL_STARTED, EventCodes.HOST_REMOTE_CONTROL_STOPPED},
            {"remote-input", EventCodes.HOST_INPUT_ASSIGNED, EventCodes.HOST_INPUT_REVOKED},
            {"tools", EventCodes.HOST_REMOTE_MANAGEMENT_STARTED, EventCodes.HOST_REMOTE_MANAGEMENT_STOPPED},
        };
        for (String[] x : expected) {
            SessionChannel ch = g.connection.open(x[0], Priority.CONTROL).toCompletableFuture().get(10, TimeUnit.SECONDS);
            AuditEvent started = host.await(x[1]);
            assertEquals(HostHarness.GUEST_ADDRESS, started.peer(), x[0]);
            assertEquals("alice@desk", started.user(), x[0]);
            assertTrue(started.detail().contains("role Full access"), started.detail());
            ch.close("the Guest closed the view");
            AuditEvent stopped = host.await(x[2]);
            assertEquals(HostHarness.GUEST_ADDRESS, stopped.peer(), x[0]);
            assertTrue(stopped.detail().contains("role Full access") && stopped.detail().contains("the Guest closed the view"),
                    stopped.detail());
        }
    }

    @Test
    void aSessionOpenWhenTheConnectionDropsGetsItsEndEvent() throws Exception {
        host();
        HostHarness.GuestEnd g = host.connect("alice@desk");
        assertEquals("auth.ok", host.logOn(g, host.password).type());
        g.connection.open("remote-control", Priority.SCREEN).toCompletableFuture().get(10, TimeUnit.SECONDS);
        host.await(EventCodes.HOST_REMOTE_CONTROL_STARTED);
        g.link.close("the cable was pulled");
        AuditEvent stopped = host.await(EventCodes.HOST_REMOTE_CONTROL_STOPPED);
        assertEquals(HostHarness.GUEST_ADDRESS, stopped.peer());
        host.await(EventCodes.HOST_SESSION_STOPPED);
    }
}
