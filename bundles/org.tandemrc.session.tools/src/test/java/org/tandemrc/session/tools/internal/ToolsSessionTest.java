package org.tandemrc.session.tools.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.testing.FakeChannel;
import org.tandemrc.api.testing.FakeContext;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.ToolInfo;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireWriter;

class ToolsSessionTest {

    /** A tool that records what it was given. */
    static final class Echo implements RemoteTool {
        final String id;
        final String title;
        final String section;
        final Privilege privilege;
        final List<Map<String, String>> calls = Collections.synchronizedList(new ArrayList<>());

        Echo(String id, String title, String section, Privilege privilege) {
            this.id = id;
            this.title = title;
            this.section = section;
            this.privilege = privilege;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String title() {
            return title;
        }

        @Override
        public String section() {
            return section;
        }

        @Override
        public Privilege requiredPrivilege() {
            return privilege;
        }

        @Override
        public List<Operation> operations() {
            return List.of(
                    new Operation("show", "Show", List.of(), false),
                    new Operation("set", "Set", List.of(
                            Field.of("count", "Count", FieldType.INTEGER, true),
                            Field.of("on", "On", FieldType.BOOLEAN, false),
                            new Field("mode", "Mode", FieldType.CHOICE, false, List.of("fast", "slow")),
                            Field.of("size", "Size", FieldType.BYTES, false),
                            Field.of("when", "When", FieldType.TIMESTAMP, false),
                            Field.of("note", "Note", FieldType.TEXT, false),
                            Field.of("password", "Password", FieldType.SECRET, false)), true),
                    new Operation("fail", "Fail", List.of(), true),
                    new Operation("crash", "Crash", List.of(), false));
        }

        @Override
        public Result invoke(String operationId, Map<String, String> arguments) throws ToolException {
            calls.add(arguments);
            return switch (operationId) {
                case "show" -> new Result.Form(List.of(Field.of("name", "Name", FieldType.TEXT, false)),
                        Map.of("name", id));
                case "set" -> new Result.Message("set " + arguments);
                case "fail" -> throw new ToolException("the thing is locked");
                default -> throw new IllegalStateException("boom");
            };
        }
    }

    private final RecordingAudit audit = new RecordingAudit();
    private final List<String> audited = audit.lines;
    private final Echo zeta = new Echo("zeta", "Zeta", "System", Privilege.REMOTE_MANAGEMENT);
    private final Echo alpha = new Echo("alpha", "Alpha", "System", Privilege.REMOTE_MANAGEMENT);
    private final Echo admin = new Echo("admin", "Admin", "Accounts", Privilege.REMOTE_MANAGEMENT);
    private final Echo shell = new Echo("shell", "Shell", "Accounts", Privilege.EXECUTE_COMMAND);
    private final List<RemoteTool> tools = List.of(zeta, alpha, admin, shell);
    private final List<HostTools> hosts = new ArrayList<>();

    @AfterEach
    void stop() {
        hosts.forEach(h -> h.closed("test over"));
    }

    /** A Guest session joined to a Host side with these privileges. */
    private GuestTools session(Set<Privilege> privileges, long timeoutMillis) {
        FakeChannel[] pair = FakeChannel.pair();
        HostTools host = new HostTools(new FakeContext(Side.HOST, pair[1], "alice", "desk-1", List.of(), privileges),
                () -> tools, audit);
        hosts.add(host);
        pair[1].handler = host;
        GuestTools guest = new GuestTools(timeoutMillis);
        guest.attach(pair[0]);
        pair[0].handler = guest;
        return guest;
    }

    private GuestTools session() {
        return session(EnumSet.of(Privilege.REMOTE_MANAGEMENT), 10_000);
    }

    @Test
    void describesItself() {
        ToolsSessionType type = new ToolsSessionType();
        assertEquals("tools", type.id());
        assertEquals("Remote Management", type.title());
        assertEquals(Set.of(Privilege.REMOTE_MANAGEMENT), type.requiredPrivileges());
        assertTrue(type.needsConsent());
    }

    @Test
    void theWireCarriesEveryKindOfAnswerUnchanged() throws ProtocolException {
        List<ToolInfo> infos = List.of(new ToolInfo("t", "Tool ✓", "Sec", zeta.operations()),
                new ToolInfo("u", "", "", List.of()));
        assertEquals(new ToolWire.Tools(infos), ToolWire.readAnswer(ToolWire.encode(new ToolWire.Tools(infos))));
        Result.Table table = new Result.Table(List.of(Field.of("a", "A", FieldType.INTEGER, false),
                new Field("b", "B", FieldType.CHOICE, false, List.of("x", "y"))),
                List.of(List.of("1", "x"), List.of("2", "Grüße 😀")));
        for (Result result : List.of(table, new Result.Form(List.of(Field.of("a", "A", FieldType.TEXT, false),
                Field.of("b", "B", FieldType.BYTES, false)), Map.of("a", "")), new Result.Message("done"))) {
            assertEquals(new ToolWire.Outcome(result), ToolWire.readAnswer(ToolWire.encode(new ToolWire.Outcome(result))));
        }
        assertEquals(new ToolWire.Failure("no such thing"),
                ToolWire.readAnswer(ToolWire.encode(new ToolWire.Failure("no such thing"))));

        Map<String, String> args = new LinkedHashMap<>();
        args.put("pid", "12");
        args.put("note", "");
        ToolWire.Request r = ToolWire.readRequest(ToolWire.encode(new ToolWire.Invoke("processes", "end", args)));
        assertEquals(new ToolWire.Invoke("processes", "end", args), r);
        assertEquals(new ToolWire.ListTools(), ToolWire.readRequest(ToolWire.encode(new ToolWire.ListTools())));
    }

    /** The start of a message of {@code type}, in the Tools layout (texts with a 32-bit length). */
    private static WireWriter out(int type) {
        return new WireWriter().u8(type);
    }

    @Test
    void malformedMessagesAreRejected() {
        ByteBuffer good = ToolWire.encode(new ToolWire.Invoke("processes", "end", Map.of("pid", "12")));
        for (int cut = 1; cut < good.remaining(); cut++) {
            ByteBuffer shorter = good.duplicate().limit(cut);
            assertThrows(ProtocolException.class, () -> ToolWire.readRequest(shorter), "cut at " + cut);
        }
        ByteBuffer longer = ByteBuffer.allocate(good.remaining() + 1).put(good.duplicate()).put((byte) 0).flip();
        assertThrows(ProtocolException.class, () -> ToolWire.readRequest(longer));
        assertThrows(ProtocolException.class, () -> ToolWire.readRequest(ByteBuffer.allocate(0)));
        assertThrows(ProtocolException.class, () -> ToolWire.readRequest(ByteBuffer.wrap(new byte[] {9})));
        // A count far beyond what the message holds, and a text that is not UTF-8.
        assertThrows(ProtocolException.class, () -> ToolWire.readRequest(
                out(ToolWire.INVOKE).blob(new byte[] {'a'}).blob(new byte[] {'b'}).u32(Integer.MAX_VALUE).toBuffer()));
        ByteBuffer badText = ByteBuffer.wrap(new byte[] {ToolWire.INVOKE, 0, 0, 0, 2, (byte) 0xc3, (byte) 0x28,
            0, 0, 0, 0, 0, 0, 0, 0});
        ProtocolException e = assertThrows(ProtocolException.class, () -> ToolWire.readRequest(badText));
        assertEquals("tool id is not valid UTF-8", e.getMessage());
        assertThrows(ProtocolException.class, () -> ToolWire.readRequest(
                out(ToolWire.INVOKE).longText("a", 9).longText("b", 9).u32(2).longText("x", 9).longText("1", 9)
                        .longText("x", 9).longText("2", 9).toBuffer()), "an argument given twice");
        assertThrows(ProtocolException.class, () -> ToolWire.readRequest(
                ByteBuffer.allocate(ToolWire.MAX_REQUEST + 1).put(0, (byte) ToolWire.LIST)));
        assertThrows(ProtocolException.class, () -> ToolWire.readAnswer(out(ToolWire.RESULT).u8(7).toBuffer()));
        assertThrows(ProtocolException.class, () -> ToolWire.readAnswer(
                out(ToolWire.TOOLS).u32(1).longText("t", 9).longText("T", 9).longText("S", 9).u32(1).longText("o", 9)
                        .longText("O", 9).u8(1).u32(1).longText("f", 9).longText("F", 9).u8(99).u8(0).u32(0)
                        .toBuffer()), "unknown field type");
        assertThrows(IllegalArgumentException.class, () -> ToolWire.encode(
                new ToolWire.Failure("x".repeat(ToolWire.MAX_TEXT + 1))), "a text too long to send");
    }

    @Test
    void theHostClosesTheSessionOnAMalformedRequest() {
        FakeChannel[] pair = FakeChannel.pair();
        HostTools host = new HostTools(new FakeContext(Side.HOST, pair[1], "alice", "desk-1", List.of(),
                EnumSet.of(Privilege.REMOTE_MANAGEMENT)), () -> tools, audit);
        hosts.add(host);
        pair[1].handler = host;
        List<String> guestSaw = new ArrayList<>();
        pair[0].handler = new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
                guestSaw.add("message");
            }

            @Override
            public void closed(String reason) {
                guestSaw.add(reason);
            }
        };
        pair[0].send(ByteBuffer.wrap(new byte[] {ToolWire.INVOKE, 0, 0}));
        assertEquals("malformed remote-management request: truncated message: tool id length needs 4 bytes, 2 left", pair[1].closeReason);
        assertEquals(List.of("malformed remote-management request: truncated message: tool id length needs 4 bytes, 2 left"), guestSaw);
    }

    @Test
    void toolsAreListedByPrivilegeAndSortedBySectionThenTitle() throws Exception {
        try (GuestTools guest = session()) {
            List<ToolInfo> listed = guest.tools();
            assertEquals(List.of("admin", "alpha", "zeta"), listed.stream().map(ToolInfo::id).toList());
            assertEquals(zeta.operations(), listed.get(2).operations());
        }
        try (GuestTools guest = session(EnumSet.of(Privilege.REMOTE_MANAGEMENT, Privilege.EXECUTE_COMMAND), 10_000)) {
            assertEquals(List.of("admin", "shell", "alpha", "zeta"),
                    guest.tools().stream().map(ToolInfo::id).toList());
        }
    }

    @Test
    void operationsRunWithValidatedArgumentsAndChangesAreAudited() throws Exception {
        try (GuestTools guest = session()) {
            Result shown = guest.invoke("alpha", "show", Map.of());
            assertEquals(new Result.Form(List.of(Field.of("name", "Name", FieldType.TEXT, false)), Map.of("name", "alpha")),
                    shown);
            assertTrue(audited.isEmpty(), "a read-only operation is not audited: " + audited);

            Result set = guest.invoke("alpha", "set", Map.of("password", "hunter2", "on", " TRUE ", "count", " 42",
                    "mode", "slow", "size", "0", "when", "2024-05-01T12:00:00Z", "note", ""));
            assertInstanceOf(Result.Message.class, set);
            assertEquals(Map.of("count", "42", "on", "true", "mode", "slow", "size", "0",
                    "when", "2024-05-01T12:00:00Z", "password", "hunter2"), alpha.calls.get(1));
            assertEquals(1, audited.size());
            assertTrue(audited.get(0).startsWith("ok alice: alpha set count=42 on=true mode=slow size=0"
                    + " when=2024-05-01T12:00:00Z password=*** -> set {"), audited.get(0));
            assertFalse(audited.get(0).contains("hunter2"), "the tool's message repeats the secret: masked");

            ToolException failed = assertThrows(ToolException.class, () -> guest.invoke("alpha", "fail", Map.of()));
            assertEquals("the thing is locked", failed.getMessage());
            assertEquals("failed alice: alpha fail: the thing is locked", audited.get(1));

            ToolException crashed = assertThrows(ToolException.class, () -> guest.invoke("alpha", "crash", Map.of()));
            assertEquals("Alpha failed: boom", crashed.getMessage());
            // The session goes on after failures.
            assertEquals(3, guest.tools().size());
        }
    }

    /** The event of an operation that changed the Host names the peer's address and what it changed. */
    @Test
    void auditEventsNameThePeerAndWhatChanged() throws Exception {
        ToolsSessionType type = new ToolsSessionType();
        type.tools.add(alpha);
        List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
        type.sinks.add(events::add);
        FakeChannel[] pair = FakeChannel.pair();
        SessionHandler host = type.open(new FakeContext(Side.HOST, pair[1], "alice", "desk-1", List.of(),
                EnumSet.of(Privilege.REMOTE_MANAGEMENT), "192.0.2.7:40122"));
        pair[1].handler = host;
        try (GuestTools guest = new GuestTools(10_000)) {
            guest.attach(pair[0]);
            pair[0].handler = guest;
            guest.invoke("alpha", "set", Map.of("count", "1", "password", "hunter2"));
        } finally {
            host.closed("test over");
        }
        AuditEvent e = events.get(0);
        assertEquals(EventCodes.TANDEM_TOOL_OPERATION, e.code());
        assertEquals("192.0.2.7:40122", e.peer());
        assertEquals("alice", e.user());
        assertTrue(e.detail().startsWith("alpha set count=1 password=*** -> set {"), e.detail());
        assertFalse(e.detail().contains("hunter2"), e.detail());
    }

    @Test
    void wrongRequestsAreAnsweredWithASentence() throws Exception {
        try (GuestTools guest = session()) {
            assertEquals("this Host has no tool 'nope'", refused(guest, "nope", "show", Map.of()));
            assertEquals("Alpha has no operation 'dance'", refused(guest, "alpha", "dance", Map.of()));
            assertEquals("'Count' (count) is required", refused(guest, "alpha", "set", Map.of()));
            assertEquals("'Count' (count) is required", refused(guest, "alpha", "set", Map.of("count", "  ")));
            assertEquals("'Count' (count) must be a whole number, not '4x'",
                    refused(guest, "alpha", "set", Map.of("count", "4x")));
            assertEquals("'On' (on) must be true or false, not 'yes'",
                    refused(guest, "alpha", "set", Map.of("count", "1", "on", "yes")));
            assertEquals("'Mode' (mode) must be one of fast, slow, not 'Fast'",
                    refused(guest, "alpha", "set", Map.of("count", "1", "mode", "Fast")));
            assertEquals("'Size' (size) must be a number of bytes (0 or more), not '-1'",
                    refused(guest, "alpha", "set", Map.of("count", "1", "size", "-1")));
            assertEquals("'When' (when) must be a time like 2024-05-01T12:00:00Z, not 'today'",
                    refused(guest, "alpha", "set", Map.of("count", "1", "when", "today")));
            assertEquals("'Set' of Alpha has no parameter 'colour'; it takes count, on, mode, size, when, note, password",
                    refused(guest, "alpha", "set", Map.of("count", "1", "colour", "red")));
            assertEquals("'Show' of Alpha takes no arguments, and 'x' was given",
                    refused(guest, "alpha", "show", Map.of("x", "1")));
            assertTrue(alpha.calls.isEmpty(), "the tool never saw a wrong request: " + alpha.calls);
            assertTrue(audited.isEmpty(), "refused before running: " + audited);

            assertEquals("your role does not allow Shell", refused(guest, "shell", "show", Map.of()));
            assertTrue(shell.calls.isEmpty());
            assertEquals(List.of("refused alice: role may not use Shell"), audited);
        }
    }

    private static String refused(GuestTools guest, String tool, String operation, Map<String, String> args) {
        return assertThrows(ToolException.class, () -> guest.invoke(tool, operation, args)).getMessage();
    }

    @Test
    void callsFromSeveralThreadsTakeTurns() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (GuestTools guest = session()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    Result r = guest.invoke("zeta", "set", Map.of("count", Integer.toString(n)));
                    return ((Result.Message) r).text();
                }));
            }
            start.countDown();
            for (int i = 0; i < answers.size(); i++) {
                assertEquals("set {count=" + i + "}", answers.get(i).get(20, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedSessionOrASilentHostIsAClearToolException() throws Exception {
        GuestTools guest = session();
        guest.close();
        ToolException e = assertThrows(ToolException.class, guest::tools);
        assertEquals("the remote-management session ended: the Guest closed remote management", e.getMessage());

        FakeChannel silent = new FakeChannel();
        GuestTools waiting = new GuestTools(200);
        waiting.attach(silent);
        silent.handler = waiting;
        e = assertThrows(ToolException.class, waiting::tools);
        assertEquals("the Host did not answer within 200 ms", e.getMessage());
        assertEquals("the Host did not answer within 200 ms", silent.closeReason);
        e = assertThrows(ToolException.class, () -> waiting.invoke("a", "b", Map.of()));
        assertTrue(e.getMessage().startsWith("the remote-management session ended"), e.getMessage());
    }

    @Test
    void anAnswerWithoutARequestEndsTheSession() {
        FakeChannel channel = new FakeChannel();
        GuestTools guest = new GuestTools(1000);
        guest.attach(channel);
        channel.handler = guest;
        guest.received(ToolWire.encode(new ToolWire.Failure("surprise")));
        assertEquals("the Host answered without a request", channel.closeReason);
        assertFalse(channel.sent.iterator().hasNext());
    }
}
