package org.tandemrc.protocol.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The Security Server's messages. The node connects with the connection core as its Guest side (the
 * server signs the handshake with its identity key, which the node pins by fingerprint), then proves its
 * own identity key with {@link Hello}; nothing else is answered before the server's {@code ss.welcome}.
 *
 * <pre>
 * node                                             Security Server
 * ss.hello        name, kind, key, sig  ------&gt;
 *                 &lt;------  ss.welcome name node    (or ss.refused reason, then close)
 * ss.logon.begin  id, user, source, purpose  --&gt;
 *                 &lt;------  ss.logon.challenge id, v.*  (or ss.logon.verdict: refused at once)
 * ss.logon.prove  id, v.*, binding  ------&gt;
 *                 &lt;------  ss.logon.verdict id, granted, user, method, role, groups, v.*, failure
 * ss.events       first, e0..eN  ------&gt;
 *                 &lt;------  ss.events.ack upto
 * ss.name.register name, addresses  ------&gt;
 * ss.name.resolve  id, name  ------&gt;
 *                 &lt;------  ss.name.answer id, name, addresses
 * </pre>
 *
 * Every field is bounded here, before the caller sees it: names and ids, the values of an exchange (at
 * most {@value #MAX_VALUES}, each at most {@value #MAX_VALUE_BYTES} bytes), events per message (at most
 * {@value #MAX_EVENTS}) and an event's text. An exchange's values travel as fields named {@code v.NAME}.
 */
public final class SecurityServerWire {

    public static final String HELLO = "ss.hello";
    public static final String WELCOME = "ss.welcome";
    public static final String REFUSED = "ss.refused";
    public static final String LOGON_BEGIN = "ss.logon.begin";
    public static final String LOGON_CHALLENGE = "ss.logon.challenge";
    public static final String LOGON_PROVE = "ss.logon.prove";
    public static final String LOGON_VERDICT = "ss.logon.verdict";
    public static final String EVENTS = "ss.events";
    public static final String EVENTS_ACK = "ss.events.ack";
    public static final String NAME_REGISTER = "ss.name.register";
    public static final String NAME_RESOLVE = "ss.name.resolve";
    public static final String NAME_ANSWER = "ss.name.answer";

    /** The capability a Security Server announces in its connection hello. */
    public static final String CAPABILITY = "security-server";

    public static final int MAX_NAME = 128;
    public static final int MAX_ID = 64;
    public static final int MAX_VALUES = 16;
    public static final int MAX_VALUE_BYTES = 1024;
    public static final int MAX_EVENTS = 48;
    public static final int MAX_EVENT_TEXT = 4096;
    public static final int MAX_ADDRESSES = 16;
    public static final int MAX_GROUPS = 32;
    private static final String VALUE = "v.";
    private static final byte[] HELLO_LABEL = "tandem security-server hello v1\0".getBytes(StandardCharsets.US_ASCII);

    private SecurityServerWire() {
    }

    /** What a node is, as the Security Server registers it and its rules name it. */
    public enum NodeKind {
        HOST, GUEST, GATEWAY, WEBCONNECT, CONSOLE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static NodeKind of(String id) throws ProtocolException {
            for (NodeKind k : values()) {
                if (k.id().equals(id)) {
                    return k;
                }
            }
            throw new ProtocolException("unknown node kind " + id);
        }
    }

    /** What a logon is for: a Guest logging on to a Host, or a supporter logging on to a console. */
    public enum Purpose {
        HOST, CONSOLE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The bytes a node signs with its identity key to prove it on this connection. */
    public static byte[] helloSigned(byte[] binding) {
        byte[] b = new byte[HELLO_LABEL.length + binding.length];
        System.arraycopy(HELLO_LABEL, 0, b, 0, HELLO_LABEL.length);
        System.arraycopy(binding, 0, b, HELLO_LABEL.length, binding.length);
        return b;
    }

    /** The node's first message: its name, kind, Ed25519 public key and signature of {@link #helloSigned}. */
    public record Hello(String name, NodeKind kind, byte[] key, byte[] signature) {
        public ControlMessage message() {
            return ControlMessage.of(HELLO).with("name", name).with("kind", kind.id()).with("key", key)
                    .with("sig", signature);
        }

        public static Hello of(ControlMessage m) throws ProtocolException {
            expect(m, HELLO);
            return new Hello(readName(m, "name"), NodeKind.of(m.text("kind")), fixed(m, "key", 32), fixed(m, "sig", 64));
        }
    }

    /** A Guest's logon as the node received it. {@code user} is {@code *} for a logon without a name. */
    public record LogonBegin(String id, String user, String source, Purpose purpose) {
        public ControlMessage message() {
            return ControlMessage.of(LOGON_BEGIN).with("id", id).with("user", user).with("source", source)
                    .with("purpose", purpose.id());
        }

        public static LogonBegin of(ControlMessage m) throws ProtocolException {
            expect(m, LOGON_BEGIN);
            String purpose = m.text("purpose", "host");
            return new LogonBegin(readId(m), readName(m, "user"), readName(m, "source"),
                    purpose.equals("console") ? Purpose.CONSOLE : purpose.equals("host") ? Purpose.HOST : badPurpose(purpose));
        }

        private static Purpose badPurpose(String p) throws ProtocolException {
            throw new ProtocolException("unknown logon purpose " + p);
        }
    }

    /** The challenge the Security Server's authenticator chose, for the node to pass on. */
    public record LogonChallenge(String id, Map<String, byte[]> values) {
        public ControlMessage message() {
            return withValues(ControlMessage.of(LOGON_CHALLENGE).with("id", id), values);
        }

        public static LogonChallenge of(ControlMessage m) throws ProtocolException {
            expect(m, LOGON_CHALLENGE);
            return new LogonChallenge(readId(m), readValues(m));
        }
    }

    /** The Guest's proof, and the binding of the Guest's connection to the node it must be bound to. */
    public record LogonProve(String id, Map<String, byte[]> values, byte[] binding) {
        public ControlMessage message() {
            return withValues(ControlMessage.of(LOGON_PROVE).with("id", id).with("binding", binding), values);
        }

        public static LogonProve of(ControlMessage m) throws ProtocolException {
            expect(m, LOGON_PROVE);
            return new LogonProve(readId(m), readValues(m), fixed(m, "binding", 32));
        }
    }

    /**
     * The outcome of a delegated logon.
     *
     * @param user    the identity's name when granted
     * @param method  the authenticator that decided (e.g. {@code guest-id}, {@code ldap}, {@code pam})
     * @param role    the role the rules give the identity on the asking node, when granted
     * @param groups  the identity's groups (directory groups, Security Server groups)
     * @param answer  what the node passes back to the Guest (SRP's server proof)
     * @param failure why it was denied, for the node's log only; never shown to the Guest
     */
    public record LogonVerdict(String id, Optional<String> user, String method, Optional<String> role,
            Set<String> groups, Map<String, byte[]> answer, Optional<String> failure) {
        public LogonVerdict {
            Objects.requireNonNull(id, "id");
            groups = Set.copyOf(groups);
            answer = Map.copyOf(answer);
            if (user.isPresent() == failure.isPresent()) {
                throw new IllegalArgumentException("exactly one of user and failure");
            }
        }

        public static LogonVerdict granted(String id, String user, String method, String role, Set<String> groups,
                Map<String, byte[]> answer) {
            return new LogonVerdict(id, Optional.of(user), method, Optional.of(role), groups, answer, Optional.empty());
        }

        public static LogonVerdict denied(String id, String method, String failure) {
            return new LogonVerdict(id, Optional.empty(), method, Optional.empty(), Set.of(), Map.of(),
                    Optional.of(failure));
        }

        public boolean granted() {
            return user.isPresent();
        }

        public ControlMessage message() {
            ControlMessage m = ControlMessage.of(LOGON_VERDICT).with("id", id).with("granted", granted() ? 1 : 0)
                    .with("method", method).with("groups", String.join("\n", groups));
            user.ifPresent(u -> m.with("user", u));
            role.ifPresent(r -> m.with("role", r));
            failure.ifPresent(f -> m.with("failure", f));
            return withValues(m, answer);
        }

        public static LogonVerdict of(ControlMessage m) throws ProtocolException {
            expect(m, LOGON_VERDICT);
            String id = readId(m);
            String method = readName(m, "method");
            if (m.integer("granted", 0, 1) == 0) {
                return denied(id, method, text(m, "failure", 512));
            }
            Set<String> groups = new LinkedHashSet<>(lines(m, "groups", MAX_GROUPS));
            return granted(id, readName(m, "user"), method, readName(m, "role"), groups, readValues(m));
        }
    }

    /** Events numbered by the node from {@code first} on; the server keeps each number once. */
    public record Events(long first, List<AuditEvent> events) {
        public Events {
            events = List.copyOf(events);
            if (events.isEmpty() || events.size() > MAX_EVENTS) {
                throw new IllegalArgumentException("1.." + MAX_EVENTS + " events per message");
            }
        }

        public ControlMessage message() {
            ControlMessage m = ControlMessage.of(EVENTS).with("first", Long.toString(first));
            for (int i = 0; i < events.size(); i++) {
                m.with("e" + i, encode(events.get(i)));
            }
            return m;
        }

        public static Events of(ControlMessage m) throws ProtocolException {
            expect(m, EVENTS);
            long first = number(m, "first");
            List<AuditEvent> events = new ArrayList<>();
            for (int i = 0; i < MAX_EVENTS && m.fields().containsKey("e" + i); i++) {
                events.add(decode(m.bytes("e" + i)));
            }
            if (events.isEmpty() || m.fields().size() != events.size() + 1) {
                throw new ProtocolException(EVENTS + " must carry 1.." + MAX_EVENTS + " events e0..eN and nothing else");
            }
            return new Events(first, events);
        }
    }

    /** Every event numbered up to {@code upTo} is stored; the node may forget them. */
    public record EventsAck(long upTo) {
        public ControlMessage message() {
            return ControlMessage.of(EVENTS_ACK).with("upto", Long.toString(upTo));
        }

        public static EventsAck of(ControlMessage m) throws ProtocolException {
            expect(m, EVENTS_ACK);
            return new EventsAck(number(m, "upto"));
        }
    }

    /** A node's name and the addresses Guests reach it at ({@code device:address}). */
    public record NameRegister(String name, List<String> addresses) {
        public ControlMessage message() {
            return ControlMessage.of(NAME_REGISTER).with("name", name).with("addresses", String.join("\n", addresses));
        }

        public static NameRegister of(ControlMessage m) throws ProtocolException {
            expect(m, NAME_REGISTER);
            return new NameRegister(readName(m, "name"), lines(m, "addresses", MAX_ADDRESSES));
        }
    }

    /** A Guest asks where a name is. */
    public record NameResolve(String id, String name) {
        public ControlMessage message() {
            return ControlMessage.of(NAME_RESOLVE).with("id", id).with("name", name);
        }

        public static NameResolve of(ControlMessage m) throws ProtocolException {
            expect(m, NAME_RESOLVE);
            return new NameResolve(readId(m), readName(m, "name"));
        }
    }

    /** Where a name is; no addresses when the server knows no such name. */
    public record NameAnswer(String id, String name, List<String> addresses) {
        public ControlMessage message() {
            return ControlMessage.of(NAME_ANSWER).with("id", id).with("name", name)
                    .with("addresses", String.join("\n", addresses));
        }

        public static NameAnswer of(ControlMessage m) throws ProtocolException {
            expect(m, NAME_ANSWER);
            return new NameAnswer(readId(m), readName(m, "name"), lines(m, "addresses", MAX_ADDRESSES));
        }
    }

    /** One event as it travels (and as a node keeps it until acknowledged): time (ms), code, severity, node, peer, user, detail. */
    public static byte[] encode(AuditEvent e) {
        String detail = e.detail().length() > MAX_EVENT_TEXT ? e.detail().substring(0, MAX_EVENT_TEXT) : e.detail();
        return new WireWriter().i64(e.time().toEpochMilli()).text(e.code()).u8(e.severity().ordinal())
                .text(cut(e.node())).text(cut(e.peer())).text(cut(e.user())).longText(detail).toByteArray();
    }

    /** The event {@link #encode} wrote; bounded like every field here (a node's outbox reads its own file with it). */
    public static AuditEvent decode(byte[] b) throws ProtocolException {
        WireReader r = new WireReader(ByteBuffer.wrap(b));
        AuditEvent e = new AuditEvent(Instant.ofEpochMilli(r.i64("time")), r.text("code", 32),
                r.ordinal(Severity.values(), "severity"), r.text("node", MAX_NAME * 4), r.text("peer", MAX_NAME * 4),
                r.text("user", MAX_NAME * 4), r.longText("detail", MAX_EVENT_TEXT * 4));
        r.end("event");
        return e;
    }

    private static String cut(String s) {
        return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
    }

    private static ControlMessage withValues(ControlMessage m, Map<String, byte[]> values) {
        if (values.size() > MAX_VALUES) {
            throw new IllegalArgumentException("at most " + MAX_VALUES + " values");
        }
        values.forEach((k, v) -> m.with(VALUE + k, v));
        return m;
    }

    private static Map<String, byte[]> readValues(ControlMessage m) throws ProtocolException {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : m.fields().entrySet()) {
            if (f.getKey().startsWith(VALUE)) {
                if (values.size() == MAX_VALUES || f.getValue().length > MAX_VALUE_BYTES) {
                    throw new ProtocolException(m.type() + ": more than " + MAX_VALUES + " values or one over "
                            + MAX_VALUE_BYTES + " bytes");
                }
                values.put(f.getKey().substring(VALUE.length()), f.getValue().clone());
            }
        }
        return values;
    }

    private static void expect(ControlMessage m, String type) throws ProtocolException {
        if (!m.type().equals(type)) {
            throw new ProtocolException("expected " + type + ", got " + m.type());
        }
    }

    private static String readId(ControlMessage m) throws ProtocolException {
        return text(m, "id", MAX_ID);
    }

    private static String readName(ControlMessage m, String field) throws ProtocolException {
        String s = text(m, field, MAX_NAME);
        if (s.isEmpty()) {
            throw new ProtocolException(m.type() + "." + field + " is empty");
        }
        return s;
    }

    private static String text(ControlMessage m, String field, int max) throws ProtocolException {
        byte[] b = m.bytes(field);
        if (b.length > max * 4) {
            throw new ProtocolException(m.type() + "." + field + " is longer than " + max + " characters");
        }
        String s = new String(b, StandardCharsets.UTF_8);
        if (s.length() > max || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ProtocolException(m.type() + "." + field + " is longer than " + max
                    + " characters or holds a control character");
        }
        return s;
    }

    private static List<String> lines(ControlMessage m, String field, int max) throws ProtocolException {
        byte[] b = m.bytes(field);
        if (b.length > max * (MAX_NAME * 4 + 1)) {
            throw new ProtocolException(m.type() + "." + field + " is too long");
        }
        String all = new String(b, StandardCharsets.UTF_8);
        if (all.isEmpty()) {
            return List.of();
        }
        String[] parts = all.split("\n", -1);
        if (parts.length > max) {
            throw new ProtocolException(m.type() + "." + field + " has more than " + max + " lines");
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (p.isEmpty() || p.length() > MAX_NAME || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new ProtocolException(m.type() + "." + field + " holds an empty, long or unprintable line");
            }
            out.add(p);
        }
        return out;
    }

    private static long number(ControlMessage m, String field) throws ProtocolException {
        String t = text(m, field, 19);
        try {
            long v = Long.parseLong(t);
            if (v < 0) {
                throw new ProtocolException(m.type() + "." + field + " is negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new ProtocolException(m.type() + "." + field + " is not a number");
        }
    }

    private static byte[] fixed(ControlMessage m, String field, int length) throws ProtocolException {
        byte[] b = m.bytes(field);
        if (b.length != length) {
            throw new ProtocolException(m.type() + "." + field + " must be " + length + " bytes");
        }
        return b;
    }
}
