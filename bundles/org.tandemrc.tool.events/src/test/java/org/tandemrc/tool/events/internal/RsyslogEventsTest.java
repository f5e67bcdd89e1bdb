package org.tandemrc.tool.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.process.Commands;

/**
 * A real rsyslogd with a configuration of its own in a temporary folder (its own socket, nothing of the
 * system's logging touched) writes the files the Event Viewer reads: {@code syslog} with rsyslog's
 * RFC 3339 timestamps and the priority first, {@code auth.log} in the traditional format; {@code logger}
 * sends to its socket.
 */
class RsyslogEventsTest {

    static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
    static final Path LOGGER = Path.of("/usr/bin/logger");

    @TempDir
    Path dir;
    Process rsyslog;
    Path syslog;
    Path auth;
    EventsTool tool;

    @BeforeEach
    void startRsyslog() throws Exception {
        assumeTrue(Files.isExecutable(RSYSLOGD) && Files.isExecutable(LOGGER), "rsyslog and logger");
        syslog = dir.resolve("syslog");
        auth = dir.resolve("auth.log");
        Files.writeString(dir.resolve("rsyslog.conf"), String.join("\n",
                "global(workDirectory=\"" + dir + "\")",
                "module(load=\"imuxsock\" SysSock.Use=\"off\")",
                "input(type=\"imuxsock\" Socket=\"" + dir.resolve("log.sock") + "\")",
                "template(name=\"withPri\" type=\"string\" string=\"<%PRI%>%TIMESTAMP:::date-rfc3339% %HOSTNAME% "
                        + "%syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\\n\")",
                "*.* action(type=\"omfile\" file=\"" + syslog + "\" template=\"withPri\")",
                "auth,authpriv.* action(type=\"omfile\" file=\"" + auth + "\" template=\"RSYSLOG_TraditionalFileFormat\")",
                ""));
        rsyslog = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", dir.resolve("rsyslog.conf").toString(), "-i",
                dir.resolve("rsyslogd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(dir.resolve("log.sock")); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(dir.resolve("log.sock")), "rsyslogd made its socket: " + Files.readString(dir.resolve("rsyslogd.out")));
        tool = new EventsTool(new FileEvents(List.of(syslog, auth), Clock.systemDefaultZone()), Clock.systemDefaultZone());
    }

    @AfterEach
    void stopRsyslog() throws Exception {
        if (rsyslog != null) {
            rsyslog.destroy();
            rsyslog.waitFor(10, TimeUnit.SECONDS);
        }
    }

    void log(String facilityPriority, String tag, String message) throws Exception {
        Commands.Outcome o = Commands.run(List.of(LOGGER.toString(), "-u", dir.resolve("log.sock").toString(), "-p",
                facilityPriority, "-t", tag, "--", message), Duration.ofSeconds(10), 4096);
        assertEquals(0, o.status(), o.output());
    }

    /** Waits until rsyslog wrote {@code text} to {@code file}. */
    void written(Path file, String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(text + " not in " + file + ": " + (Files.exists(file) ? Files.readString(file) : "(none)"));
    }

    @Test
    void showsTheFilesEventsFilteredByProgramPriorityAndSince() throws Exception {
        log("user.info", "tandemapp", "all is well");
        log("user.err", "tandemapp", "disk nearly full");
        log("daemon.warning", "otherd", "warned");
        log("auth.notice", "sshd", "Accepted publickey for alice");
        written(syslog, "Accepted publickey");
        written(auth, "Accepted publickey");

        Result.Table all = (Result.Table) tool.invoke("show", Map.of());
        List<String> messages = all.rows().stream().map(r -> r.get(5)).toList();
        assertTrue(messages.containsAll(List.of("all is well", "disk nearly full", "warned", "Accepted publickey for alice")),
                messages.toString());
        List<String> err = all.rows().stream().filter(r -> r.get(5).equals("disk nearly full")).findFirst().orElseThrow();
        assertEquals("tandemapp", err.get(2));
        assertEquals("err", err.get(4));
        // auth.log's traditional line has no priority: the same event from syslog carries "notice".
        assertEquals(2, all.rows().stream().filter(r -> r.get(5).equals("Accepted publickey for alice")).count());

        Result.Table app = (Result.Table) tool.invoke("show", Map.of("program", "tandemapp"));
        assertEquals(List.of("all is well", "disk nearly full"), app.rows().stream().map(r -> r.get(5)).toList());
        Result.Table urgent = (Result.Table) tool.invoke("show", Map.of("priority", "warning"));
        assertEquals(List.of("disk nearly full", "warned"), urgent.rows().stream().map(r -> r.get(5)).toList());
        Result.Table last = (Result.Table) tool.invoke("show", Map.of("lines", "1"));
        assertEquals(1, last.rows().size());
        Result.Table future = (Result.Table) tool.invoke("show", Map.of("since", "2999-01-01"));
        assertTrue(future.rows().isEmpty());
        Result.Table recent = (Result.Table) tool.invoke("show", Map.of("since", "5m", "program", "otherd"));
        assertEquals(List.of("warned"), recent.rows().stream().map(r -> r.get(5)).toList());

        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("show", Map.of("unit", "ssh.service")));
        assertEquals("the syslog files do not record systemd units; filter by program instead", e.getMessage());
    }

    @Test
    void followingSurvivesRotationByRenameAndByTruncation() throws Exception {
        log("user.info", "tandemapp", "before following");
        written(syslog, "before following");
        RecordingStream stream = new RecordingStream();
        StreamInput input = tool.open("follow", Map.of("program", "tandemapp"), stream);
        try {
            log("user.info", "tandemapp", "first line");
            log("user.info", "otherapp", "not this one");
            awaitText(stream, "first line");

            // logrotate's default: rename, then rsyslog reopens on HUP and writes a new file.
            Files.move(syslog, dir.resolve("syslog.1"), StandardCopyOption.ATOMIC_MOVE);
            log("user.info", "tandemapp", "still into the renamed file");
            written(dir.resolve("syslog.1"), "still into the renamed file");
            assertEquals(0, Commands.run(List.of("/bin/kill", "-HUP", Long.toString(rsyslog.pid())), Duration.ofSeconds(5), 100).status());
            Thread.sleep(300);
            log("user.info", "tandemapp", "after rotation");
            written(syslog, "after rotation");
            awaitText(stream, "after rotation");

            // copytruncate: the same file cut to nothing and written again.
            Files.write(syslog, new byte[0]);
            log("user.info", "tandemapp", "after truncation");
            written(syslog, "after truncation");
            awaitText(stream, "after truncation");

            String text = stream.text();
            assertFalse(text.contains("before following"), text);
            assertFalse(text.contains("not this one"), text);
            List<String> ours = text.lines().map(l -> l.substring(l.indexOf(": ") + 2)).toList();
            assertEquals(List.of("first line", "still into the renamed file", "after rotation", "after truncation"), ours);
            assertTrue(text.lines().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ \\S+ tandemapp: .*")), text);
            assertTrue(stream.isOpen());
        } finally {
            input.closed("test over");
            stream.closeByGuest();
        }
    }

    private static void awaitText(RecordingStream stream, String text) throws InterruptedException {
        assertTrue(stream.await(s -> s.text().contains(text), 10_000), "followed: " + text + " in " + stream.text());
    }
}
