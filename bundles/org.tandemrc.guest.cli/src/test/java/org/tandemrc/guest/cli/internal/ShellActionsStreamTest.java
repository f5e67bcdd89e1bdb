package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.OpenStream;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.StreamListener;
import org.tandemrc.api.tool.client.ToolSession;

/** {@code tandem guest tool} on a streaming operation: what a Host streams, as this terminal shows it. */
class ShellActionsStreamTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A Host whose stream plays {@code host} to the listener (on another thread, as a stream's own) and ends. */
    private ShellActions actions(Consumer<StreamListener> host) {
        RemoteTools tools = new RemoteTools() {
            @Override
            public ToolSession open(HostConnection connection) {
                throw new UnsupportedOperationException("a stream needs no tools session");
            }

            @Override
            public OpenStream stream(HostConnection connection, String toolId, String operationId, StreamKind kind,
                    Map<String, String> arguments, StreamListener listener) {
                new Thread(() -> host.accept(listener)).start();
                return new OpenStream() {
                    @Override
                    public StreamKind kind() {
                        return kind;
                    }

                    @Override
                    public int maxWrite() {
                        return 256 * 1024;
                    }

                    @Override
                    public CompletionStage<Void> write(ByteBuffer data) {
                        return CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public void resize(int columns, int rows) {
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        return new ShellActions(tools, null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Operation op(StreamKind kind) {
        return new Operation("follow", "Follow", List.of(), false, kind);
    }

    private static void send(StreamListener l, String text) {
        l.data(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aTextStreamPrintsDefusedLinesUntilTheHostEndsIt() throws Exception {
        int status = actions(l -> {
            send(l, "Dec  5 sshd[1]: Accepted\nDec  5 evil: \u001b[2J\u001b]0;pwned\u0007");
            send(l, "\n");
            l.ended("followed for 2 s", true);
        }).stream("events", op(StreamKind.TEXT), Map.of());
        assertEquals(0, status);
        assertEquals("Dec  5 sshd[1]: Accepted\nDec  5 evil: \\x1b[2J\\x1b]0;pwned\\x07\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("followed for 2 s\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLiveTableIsPrintedAgainEachTime() throws Exception {
        Field pid = Field.of("pid", "PID", FieldType.INTEGER, false);
        actions(l -> {
            l.shown(new Result.Table(List.of(pid), List.of(List.of("1"))));
            l.shown(new Result.Table(List.of(pid), List.of(List.of("1"), List.of("42"))));
            l.ended("", true);
        }).stream("processes", op(StreamKind.TABLE), Map.of());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals("\nPID\n  1\n1 row(s)\n\nPID\n  1\n 42\n2 row(s)\n", printed);
    }

    @Test
    void aFailedStreamIsTheHostsSentence() {
        ToolException e = assertThrows(ToolException.class, () -> actions(l -> l.ended("the journal is gone", false))
                .stream("events", op(StreamKind.TEXT), Map.of()));
        assertEquals("the journal is gone", e.getMessage());
    }

    @Test
    void terminalsAndBytesArePointedToTheirCommands() {
        ToolException shell = assertThrows(ToolException.class,
                () -> actions(l -> { }).stream("shell", new Operation("open", "Open", List.of(), true, StreamKind.TERMINAL), Map.of()));
        assertEquals("'shell open' is a terminal: use 'tandem guest shell ADDRESS'", shell.getMessage());
        ToolException tunnel = assertThrows(ToolException.class,
                () -> actions(l -> { }).stream("tunnel", op(StreamKind.BYTES), Map.of()));
        assertTrue(tunnel.getMessage().contains("tandem guest tunnel"), tunnel.getMessage());
    }
}
