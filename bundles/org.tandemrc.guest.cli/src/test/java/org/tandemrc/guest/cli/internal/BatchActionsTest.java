package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemrc.support.batch.Batch;

class BatchActionsTest {

    @Test
    void actionsReadFromWordsAndGiveTheSameWordsBack() {
        for (List<String> words : List.of(List.of("message", "Backup at 8 tonight"),
                List.of("tool", "processes", "end", "pid=42", "force=true"), List.of("wake"),
                List.of("wake", "via", "office/gateway"))) {
            assertEquals(words, BatchActions.action(words).words());
        }
        assertEquals(new Batch.Message("a b"), BatchActions.action(List.of("message", "a", "b")));
        assertTrue(BatchActions.action(List.of("send", "x.txt")) instanceof Batch.Send s && s.file().isAbsolute());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "message", "message  ", "tool processes", "tool processes list pid", "tool a b x=1 x=2",
        "send", "send a b", "wake office/pc", "wake via", "reboot now"})
    void wrongActionsAreRefusedWithASentence(String line) {
        List<String> words = line.isEmpty() ? List.of() : List.of(line.split(" ", -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchActions.action(words));
        assertFalse(e.getMessage().isBlank());
    }

    /** A Host's answer (a process name, a command's output) may hold terminal controls: none reaches the terminal. */
    @Test
    void aHostileHostsOutputIsEscapedInTheRowAndInFull() {
        String hostile = "ok\u001b]0;owned\u0007\u001b[2J\rFAKE ok row\n" + "x".repeat(300) + "\n\u009b31mred";
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        boolean all = BatchActions.report(List.of(new Batch.Outcome("office/pc1", true, hostile, 1200),
                new Batch.Outcome("office/pc2", false, "refused\u001b[1A", 5)), 1300,
                new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(all);
        assertTrue(printed.chars().noneMatch(c -> c == 0x1b || c == 0x07 || c == '\r' || c == 0x9b), printed);
        assertTrue(printed.contains("office/pc1  ok       1.2 s  ok\\x1b]0;owned\\x07\\x1b[2J\\rFAKE ok row [...]\n"),
                printed);
        assertTrue(printed.contains("--- office/pc1:\n  ok\\x1b]0;owned"), printed);
        assertTrue(printed.contains("\n  " + "x".repeat(300) + "\n"), printed);
        assertTrue(printed.endsWith("1 of 2 Host(s) succeeded, 1 failed, in 1.3 s\n"), printed);
    }
}
