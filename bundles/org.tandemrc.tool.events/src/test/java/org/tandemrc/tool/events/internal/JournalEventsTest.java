package org.tandemrc.tool.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;

/**
 * The journal path as far as journalctl goes without journald: the arguments a filter becomes, and the real
 * journalctl run over a journal folder without files (no entries; following ends with journalctl's words).
 */
class JournalEventsTest {

    static final Path JOURNALCTL = Path.of("/usr/bin/journalctl");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T15:00:00Z"), ZoneOffset.UTC);

    @Test
    void aFilterBecomesJournalctlsOwnOptionsEachOneArgument() throws Exception {
        JournalEvents j = new JournalEvents(JOURNALCTL, null, CLOCK);
        Filter f = Filter.of(Map.of("unit", "ssh.service", "program", "sshd", "priority", "err", "since", "1h", "lines", "50"),
                ZoneOffset.UTC, CLOCK.instant());
        assertEquals(List.of("/usr/bin/journalctl", "--no-pager", "--quiet", "--output=short-iso", "--lines=50",
                "--unit=ssh.service", "--identifier=sshd", "--priority=3", "--since=@1796479200"), j.argv(f, false));
        assertEquals(List.of("/usr/bin/journalctl", "--no-pager", "--quiet", "--output=short-iso", "--lines=0", "--follow",
                "--unit=ssh.service", "--identifier=sshd", "--priority=3"), j.argv(f, true));
    }

    @Test
    void theRealJournalctlOverAnEmptyJournalShowsNothingAndFollowingEndsSayingWhy(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(JOURNALCTL), "journalctl");
        EventsTool tool = new EventsTool(new JournalEvents(JOURNALCTL, dir, Clock.systemDefaultZone()), Clock.systemDefaultZone());
        Result.Table t = (Result.Table) tool.invoke("show", Map.of("program", "sshd", "priority", "err", "since", "1h"));
        assertTrue(t.rows().isEmpty(), t.rows().toString());
        RecordingStream stream = new RecordingStream();
        StreamInput input = tool.open("follow", Map.of("unit", "ssh.service"), stream);
        try {
            assertTrue(stream.await(RecordingStream::ended, 10_000), "journalctl -f over no journal ends");
            assertFalse(stream.endedOk());
            assertTrue(stream.endSentence().startsWith("journalctl ended (exit status 1)"), stream.endSentence());
        } finally {
            input.closed("test over");
        }
    }
}
