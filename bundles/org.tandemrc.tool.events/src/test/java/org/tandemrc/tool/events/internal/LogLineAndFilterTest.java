package org.tandemrc.tool.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemrc.api.tool.ToolException;

class LogLineAndFilterTest {

    static final ZoneId UTC = ZoneOffset.UTC;
    static final Instant NOW = Instant.parse("2026-12-05T15:00:00Z");

    @Test
    void theThreeTimeFormatsAndThePriorityAreRead() {
        LogLine l = LogLine.parse("<11>2026-12-05T14:59:58.123456+01:00 pc tandemapp[42]: disk: nearly full", UTC, NOW);
        assertEquals(new LogLine(Instant.parse("2026-12-05T13:59:58.123456Z"), "pc", "tandemapp", "42", 3, "disk: nearly full"), l);
        assertEquals("err", l.priorityName());
        l = LogLine.parse("2026-12-05T14:00:00+0000 pc systemd[1]: Started cron.service.", UTC, NOW);
        assertEquals(Instant.parse("2026-12-05T14:00:00Z"), l.time());
        assertEquals(-1, l.priority());
        l = LogLine.parse("Dec  5 14:00:00 pc kernel: eth0 up", UTC, NOW);
        assertEquals(new LogLine(Instant.parse("2026-12-05T14:00:00Z"), "pc", "kernel", "", -1, "eth0 up"), l);
        // Written on the last day of last year, read on the first day of this one.
        assertEquals(Instant.parse("2025-12-31T23:59:00Z"),
                LogLine.parse("Dec 31 23:59:00 pc x: y", UTC, Instant.parse("2026-01-01T00:01:00Z")).time());
        l = LogLine.parse("not a syslog line", UTC, NOW);
        assertNull(l.time());
        assertEquals("not a syslog line", l.message());
        assertEquals(LogLine.MAX_LINE, LogLine.parse("x".repeat(100_000), UTC, NOW).message().length());
    }

    @Test
    void filtersAreCheckedAndRead() throws Exception {
        Filter f = Filter.of(Map.of("program", "sshd", "priority", "warning", "since", "2h", "lines", "10"), UTC, NOW);
        assertEquals(new Filter(null, "sshd", 4, Instant.parse("2026-12-05T13:00:00Z"), 10), f);
        assertEquals(Instant.parse("2026-12-05T00:00:00Z"), Filter.since("2026-12-05", UTC, NOW));
        assertEquals(Instant.parse("2026-12-05T13:00:00Z"), Filter.since("2026-12-05T14:00:00+01:00", UTC, NOW));
        assertEquals(Instant.parse("2026-12-05T14:00:00Z"), Filter.since("2026-12-05T14:00", UTC, NOW));
        assertEquals(Filter.DEFAULT_LINES, Filter.of(Map.of(), UTC, NOW).lines());
        assertTrue(f.accepts(new LogLine(NOW, "pc", "sshd", "", 3, "m")));
        assertTrue(!f.accepts(new LogLine(NOW, "pc", "sshd", "", 6, "m")), "info is less urgent than warning");
        assertTrue(!f.accepts(new LogLine(NOW, "pc", "sshd", "", -1, "m")), "no recorded priority");
        assertTrue(!f.accepts(new LogLine(Instant.parse("2026-12-05T12:00:00Z"), "pc", "sshd", "", 3, "m")), "too old");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--directory=/", "-f", "a b", "x;reboot", "../x", "sshd\n", ".x", "$(id)"})
    void hostileNamesAreRefusedUnechoed(String name) {
        for (String field : new String[] {"unit", "program"}) {
            ToolException e = assertThrows(ToolException.class, () -> Filter.of(Map.of(field, name), UTC, NOW));
            assertTrue(e.getMessage().startsWith("that " + field + " is not a name"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lines=0", "lines=5001", "lines=-1", "lines=99999999999", "priority=panic", "since=yesterday",
        "since=99999999m"})
    void outOfBoundValuesAreRefused(String argument) {
        String[] kv = argument.split("=", 2);
        assertThrows(ToolException.class, () -> Filter.of(Map.of(kv[0], kv[1]), UTC, NOW));
    }
}
