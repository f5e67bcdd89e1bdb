package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.client.ToolInfo;
import org.tandemrc.api.tool.client.ToolSession;

class ToolActionsTest {

    /** A session that answers one fixed result and lists one tool. */
    private static ToolSession answering(Result result) {
        return new ToolSession() {
            @Override
            public List<ToolInfo> tools() {
                return List.of(new ToolInfo("svc", "Services", "System", List.of(
                        new Operation("list", "List services", List.of(), false),
                        new Operation("stop", "Stop service", List.of(
                                Field.of("name", "Service", FieldType.TEXT, true),
                                new Field("mode", "Mode", FieldType.CHOICE, false, List.of("now", "later"))), true))));
            }

            @Override
            public Result invoke(String toolId, String operationId, Map<String, String> arguments) {
                return result;
            }

            @Override
            public void close() {
            }
        };
    }

    private static String print(Result result, boolean list) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ToolActions actions = new ToolActions(answering(result), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        if (list) {
            actions.list();
        } else {
            actions.run("svc", "list", Map.of());
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tablesPrintAsAlignedColumnsWithNumbersOnTheRight() throws Exception {
        Result.Table t = new Result.Table(List.of(Field.of("pid", "PID", FieldType.INTEGER, false),
                Field.of("size", "Size", FieldType.BYTES, false), Field.of("name", "Name", FieldType.TEXT, false),
                Field.of("pw", "Password", FieldType.SECRET, false)),
                List.of(List.of("7", "2048", "cron", "x"), List.of("12345", "12", "a much longer name", "y")));
        assertEquals("""
                  PID     Size  Name                Password
                    7  2.0 KiB  cron                ********
                12345     12 B  a much longer name  ********
                2 row(s)
                """, print(t, false));
    }

    @Test
    void formsPrintAsLabelValueLinesAndMessagesAsText() throws Exception {
        Result.Form f = new Result.Form(List.of(Field.of("a", "Host name", FieldType.TEXT, false),
                Field.of("m", "Memory", FieldType.BYTES, false), Field.of("gone", "Absent", FieldType.TEXT, false)),
                Map.of("a", "desk-1", "m", "1073741824"));
        assertEquals("Host name: desk-1\nMemory: 1.0 GiB\n", print(f, false));
        assertEquals("Stopped.\n", print(new Result.Message("Stopped."), false));
    }

    /** Everything a tool prints came from the Host: a hostile Host cannot drive the supporter's terminal. */
    @Test
    void aHostileHostsResultIsShownEscaped() throws Exception {
        Result.Table t = new Result.Table(List.of(Field.of("name", "Na\u001b]0;owned\u0007me", FieldType.TEXT, false)),
                List.of(List.of("cron\u001b[2J\nroot logged in")));
        String out = print(t, false);
        assertEquals("Na\\x1b]0;owned\\x07me\ncron\\x1b[2J\\nroot logged in\n1 row(s)\n", out);
        assertEquals("Done\\x1b[31m\n", print(new Result.Message("Done\u001b[31m"), false));
    }

    @Test
    void theListShowsSectionsToolsOperationsAndParameters() throws Exception {
        assertEquals("""
                System
                  Services (svc)
                    list  List services
                    stop  Stop service (changes the Host)
                            name=  Service, text, required
                            mode=  Mode, one of now, later
                """, print(null, true));
    }

    @Test
    void argumentsAreNameValueWords() {
        assertEquals(Map.of("pid", "12", "note", "a=b", "empty", ""), ToolActions.arguments(List.of("pid=12", "note=a=b", "empty=")));
        assertThrows(IllegalArgumentException.class, () -> ToolActions.arguments(List.of("pid")));
        assertThrows(IllegalArgumentException.class, () -> ToolActions.arguments(List.of("=1")));
        assertThrows(IllegalArgumentException.class, () -> ToolActions.arguments(List.of("a=1", "a=2")));
    }
}
