package org.tandemrc.protocol.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.security.SecurityServerWire.Events;
import org.tandemrc.protocol.security.SecurityServerWire.EventsAck;
import org.tandemrc.protocol.security.SecurityServerWire.Hello;
import org.tandemrc.protocol.security.SecurityServerWire.LogonBegin;
import org.tandemrc.protocol.security.SecurityServerWire.LogonChallenge;
import org.tandemrc.protocol.security.SecurityServerWire.LogonProve;
import org.tandemrc.protocol.security.SecurityServerWire.LogonVerdict;
import org.tandemrc.protocol.security.SecurityServerWire.NameAnswer;
import org.tandemrc.protocol.security.SecurityServerWire.NameRegister;
import org.tandemrc.protocol.security.SecurityServerWire.NameResolve;
import org.tandemrc.protocol.security.SecurityServerWire.NodeKind;
import org.tandemrc.protocol.security.SecurityServerWire.Purpose;

class SecurityServerWireTest {

    private static final AuditEvent EVENT = new AuditEvent(Instant.ofEpochMilli(1_700_000_000_123L), "HSESRC+",
            Severity.INFO, "host-1", "10.0.0.9", "alice", "remote control started");

    @Test
    void everyMessageSurvivesTheRoundTrip() throws ProtocolException {
        byte[] key = filled(32, 1);
        byte[] sig = filled(64, 2);
        Hello h = Hello.of(new Hello("host-1", NodeKind.GATEWAY, key, sig).message());
        assertEquals("host-1", h.name());
        assertEquals(NodeKind.GATEWAY, h.kind());
        assertArrayEquals(key, h.key());
        assertArrayEquals(sig, h.signature());

        assertEquals(new LogonBegin("7", "alice", "10.0.0.9", Purpose.CONSOLE),
                LogonBegin.of(new LogonBegin("7", "alice", "10.0.0.9", Purpose.CONSOLE).message()));
        LogonChallenge c = LogonChallenge.of(new LogonChallenge("7", Map.of("B", filled(384, 3), "otp", new byte[] {'1'}))
                .message());
        assertArrayEquals(filled(384, 3), c.values().get("B"));
        assertEquals(Set.of("B", "otp"), c.values().keySet());
        LogonProve p = LogonProve.of(new LogonProve("7", Map.of("M1", filled(32, 4)), filled(32, 5)).message());
        assertArrayEquals(filled(32, 5), p.binding());
        assertArrayEquals(filled(32, 4), p.values().get("M1"));

        LogonVerdict g = LogonVerdict.of(LogonVerdict.granted("7", "alice", "guest-id", "Full access",
                Set.of("ops", "admins"), Map.of("M2", filled(32, 6))).message());
        assertTrue(g.granted());
        assertEquals("Full access", g.role().orElseThrow());
        assertEquals(Set.of("ops", "admins"), g.groups());
        assertArrayEquals(filled(32, 6), g.answer().get("M2"));
        LogonVerdict d = LogonVerdict.of(LogonVerdict.denied("7", "ldap", "wrong password").message());
        assertFalse(d.granted());
        assertEquals("wrong password", d.failure().orElseThrow());

        Events e = Events.of(new Events(41, List.of(EVENT, EVENT)).message());
        assertEquals(41, e.first());
        assertEquals(List.of(EVENT, EVENT), e.events());
        assertEquals(99, EventsAck.of(new EventsAck(99).message()).upTo());
        assertEquals(List.of("tcp:10.0.0.5:6502", "udp:10.0.0.5:6502"), NameRegister.of(new NameRegister("host-1",
                List.of("tcp:10.0.0.5:6502", "udp:10.0.0.5:6502")).message()).addresses());
        assertEquals("host-1", NameResolve.of(new NameResolve("q", "host-1").message()).name());
        assertEquals(List.of(), NameAnswer.of(new NameAnswer("q", "nobody", List.of()).message()).addresses());
    }

    @Test
    void aHelloWithAKeyOrSignatureOfTheWrongLengthIsRefused() {
        refused(() -> new Hello("h", NodeKind.HOST, filled(32, 1), filled(64, 2)).message().with("key", filled(31, 1)));
        refused(() -> new Hello("h", NodeKind.HOST, filled(32, 1), filled(64, 2)).message().with("key", filled(33, 1)));
        refused(() -> new Hello("h", NodeKind.HOST, filled(32, 1), filled(64, 2)).message().with("sig", filled(63, 1)));
        refused(() -> new Hello("h", NodeKind.HOST, filled(32, 1), filled(64, 2)).message().with("sig", new byte[0]));
        refused(() -> new Hello("h", NodeKind.HOST, filled(32, 1), filled(64, 2)).message().with("kind", "root"));
        refused(() -> new LogonProve("7", Map.of(), filled(32, 1)).message().with("binding", filled(16, 1)));
    }

    @Test
    void oversizedOrTooManyValuesAreRefused() {
        refused(() -> new LogonChallenge("7", Map.of()).message().with("v.B", filled(SecurityServerWire.MAX_VALUE_BYTES + 1, 1)));
        refused(() -> {
            ControlMessage m = ControlMessage.of(SecurityServerWire.LOGON_PROVE).with("id", "7").with("binding", filled(32, 1));
            for (int i = 0; i <= SecurityServerWire.MAX_VALUES; i++) {
                m.with("v.x" + i, new byte[] {1});
            }
            return m;
        });
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i <= SecurityServerWire.MAX_VALUES; i++) {
            many.put("x" + i, new byte[] {1});
        }
        assertThrows(IllegalArgumentException.class, () -> new LogonChallenge("7", many).message());
    }

    @Test
    void longOrUnprintableNamesAndIdsAreRefused() {
        String longName = String.join("", Collections.nCopies(SecurityServerWire.MAX_NAME + 1, "a"));
        refused(() -> new LogonBegin("7", longName, "10.0.0.9", Purpose.HOST).message());
        refused(() -> new LogonBegin("7", "alice\nroot", "10.0.0.9", Purpose.HOST).message());
        refused(() -> new LogonBegin("7", "alice\u0000", "10.0.0.9", Purpose.HOST).message());
        refused(() -> new LogonBegin("7", "", "10.0.0.9", Purpose.HOST).message());
        refused(() -> new LogonBegin("7", "alice", "10.0.0.9", Purpose.HOST).message().with("purpose", "root"));
        refused(() -> new LogonBegin(longName, "alice", "10.0.0.9", Purpose.HOST).message());
        refused(() -> new NameResolve("q", "host\u001b[2J").message());
        refused(() -> new NameRegister("host-1", List.of("tcp:a", "")).message());
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i <= SecurityServerWire.MAX_ADDRESSES; i++) {
            addresses.add("tcp:10.0.0." + i + ":6502");
        }
        refused(() -> new NameRegister("host-1", addresses).message());
        refused(() -> LogonVerdict.denied("7", "ldap", "x").message().with("failure", "line\nbreak"));
    }

    @Test
    void eventCountsAndNumbersAreBounded() {
        refused(() -> ControlMessage.of(SecurityServerWire.EVENTS).with("first", "0"));
        refused(() -> new Events(0, List.of(EVENT)).message().with("e2", new Events(0, List.of(EVENT)).message().fields().get("e0")));
        refused(() -> new Events(0, List.of(EVENT)).message().with("first", "-1"));
        refused(() -> new Events(0, List.of(EVENT)).message().with("first", "12345678901234567890"));
        refused(() -> new Events(0, List.of(EVENT)).message().with("e0", new byte[] {1, 2, 3}));
        refused(() -> {
            ControlMessage m = ControlMessage.of(SecurityServerWire.EVENTS).with("first", "0");
            byte[] one = new Events(0, List.of(EVENT)).message().fields().get("e0");
            for (int i = 0; i <= SecurityServerWire.MAX_EVENTS; i++) {
                m.with("e" + i, one);
            }
            return m;
        });
        List<AuditEvent> tooMany = Collections.nCopies(SecurityServerWire.MAX_EVENTS + 1, EVENT);
        assertThrows(IllegalArgumentException.class, () -> new Events(0, tooMany));
    }

    @Test
    void aMessageOfAnotherTypeIsRefused() {
        refused(() -> new NameResolve("q", "host-1").message(), m -> NameAnswer.of(m));
        refused(() -> new EventsAck(1).message(), m -> Events.of(m));
    }

    private interface Reader {
        Object read(ControlMessage m) throws ProtocolException;
    }

    /** The message is refused by the reader of its own type. */
    private static void refused(Supplier<ControlMessage> m) {
        ControlMessage msg = m.get();
        refused(() -> msg, reader(msg.type()));
    }

    private static void refused(Supplier<ControlMessage> m, Reader reader) {
        ControlMessage msg = m.get();
        assertThrows(ProtocolException.class, () -> reader.read(msg), msg.toString());
    }

    private static Reader reader(String type) {
        return switch (type) {
            case SecurityServerWire.HELLO -> Hello::of;
            case SecurityServerWire.LOGON_BEGIN -> LogonBegin::of;
            case SecurityServerWire.LOGON_CHALLENGE -> LogonChallenge::of;
            case SecurityServerWire.LOGON_PROVE -> LogonProve::of;
            case SecurityServerWire.LOGON_VERDICT -> LogonVerdict::of;
            case SecurityServerWire.EVENTS -> Events::of;
            case SecurityServerWire.NAME_REGISTER -> NameRegister::of;
            case SecurityServerWire.NAME_RESOLVE -> NameResolve::of;
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }
}
