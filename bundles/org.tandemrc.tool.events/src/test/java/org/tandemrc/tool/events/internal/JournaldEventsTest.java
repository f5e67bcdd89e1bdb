package org.tandemrc.tool.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.toolkit.process.Commands;

/**
 * The journal path against a real systemd-journald: started (as root) in a mount namespace of its own whose
 * {@code /run/systemd} and {@code /run/log} are folders of this test and whose {@code /var/log/journal} is
 * an empty tmpfs, so the machine's own logging is not touched and nothing persists. {@code logger} writes to
 * its {@code dev-log} socket; the tool reads the journal files through journalctl.
 */
class JournaldEventsTest {

    static final Path JOURNALD = Path.of("/lib/systemd/systemd-journald");
    static final Path JOURNALCTL = Path.of("/usr/bin/journalctl");
    static final Path UNSHARE = Path.of("/usr/bin/unshare");

    @TempDir
    Path dir;
    Process journald;
    Path devLog;
    EventsTool tool;

    @BeforeEach
    void startJournald() throws Exception {
        assumeTrue(Files.isExecutable(JOURNALD) && Files.isExecutable(JOURNALCTL) && Files.isExecutable(UNSHARE)
                && "root".equals(System.getProperty("user.name")), "systemd-journald, journalctl, unshare, root");
        Path run = Files.createDirectories(dir.resolve("systemd"));
        Path log = Files.createDirectories(dir.resolve("log"));
        String script = "set -e; mkdir -p /run/systemd /run/log; mount --bind " + run + " /run/systemd; mount --bind " + log
                + " /run/log; if [ -d /var/log/journal ]; then mount -t tmpfs tmpfs /var/log/journal; fi; exec " + JOURNALD;
        journald = new ProcessBuilder(UNSHARE.toString(), "-m", "--propagation", "private", "/bin/sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(dir.resolve("journald.out").toFile()).start();
        devLog = run.resolve("journal/dev-log");
        for (int i = 0; i < 100 && !Files.exists(devLog); i++) {
            Thread.sleep(50);
        }
        assumeTrue(Files.exists(devLog), "journald runs in a namespace here: " + Files.readString(dir.resolve("journald.out")));
        tool = new EventsTool(new JournalEvents(JOURNALCTL, log.resolve("journal"), Clock.systemDefaultZone()),
                Clock.systemDefaultZone());
    }

    @AfterEach
    void stopJournald() throws Exception {
        if (journald != null) {
            journald.destroy();
            journald.waitFor(10, TimeUnit.SECONDS);
        }
    }

    void log(String priority, String tag, String message) throws Exception {
        assertEquals(0, Commands.run(List.of("/usr/bin/logger", "-u", devLog.toString(), "-p", priority, "-t", tag, "--", message),
                Duration.ofSeconds(10), 4096).status());
    }

    List<String> messages(Map<String, String> arguments) throws Exception {
        return ((Result.Table) tool.invoke("show", arguments)).rows().stream().map(r -> r.get(5)).toList();
    }

    @Test
    void showFiltersByProgramPrioritySinceAndUnitThroughJournalctl() throws Exception {
        log("user.err", "tandemapp", "disk nearly full");
        log("user.info", "tandemapp", "all is well");
        log("daemon.warning", "otherd", "warned");
        for (int i = 0; i < 100 && !messages(Map.of("program", "otherd")).contains("warned"); i++) {
            Thread.sleep(50);
        }
        assertEquals(List.of("disk nearly full", "all is well"), messages(Map.of("program", "tandemapp")));
        assertEquals(List.of("disk nearly full", "warned"), messages(Map.of("priority", "warning", "since", "10m")).stream()
                .filter(m -> m.equals("disk nearly full") || m.equals("warned")).toList());
        assertEquals(List.of("disk nearly full"), messages(Map.of("program", "tandemapp", "priority", "err")));
        assertEquals(List.of(), messages(Map.of("program", "tandemapp", "since", "2999-01-01")));
        // Units are journald's own trusted field (from the sender's cgroup): a logger's lines have none.
        assertEquals(List.of(), messages(Map.of("unit", "tandemapp.service")));
        List<String> row = ((Result.Table) tool.invoke("show", Map.of("program", "tandemapp", "lines", "1"))).rows().get(0);
        assertEquals("tandemapp", row.get(2));
        assertEquals("all is well", row.get(5));
        assertTrue(row.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), row.get(0));
    }

    @Test
    void followStreamsNewEntriesThatPassTheFilter() throws Exception {
        log("user.info", "tandemapp", "before following");
        RecordingStream stream = new RecordingStream();
        StreamInput input = tool.open("follow", Map.of("program", "tandemapp", "priority", "warning"), stream);
        try {
            Thread.sleep(500); // journalctl -f starts at the end
            log("user.info", "tandemapp", "too mild");
            log("user.err", "otherd", "not this program");
            log("user.err", "tandemapp", "followed");
            assertTrue(stream.await(s -> s.text().contains("followed"), 10_000), stream.text());
            assertTrue(!stream.text().contains("before following") && !stream.text().contains("too mild")
                    && !stream.text().contains("not this program"), stream.text());
            assertTrue(stream.text().matches("\\d{4}-\\S+ \\S+ tandemapp\\[\\d+\\]: followed\n"), stream.text());
        } finally {
            input.closed("test over");
            stream.closeByGuest();
        }
    }
}
