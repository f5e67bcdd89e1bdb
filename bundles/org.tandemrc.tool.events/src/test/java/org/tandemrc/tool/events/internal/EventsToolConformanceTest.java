package org.tandemrc.tool.events.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.StreamingToolConformance;
import org.tandemrc.api.tool.StreamingTool;

/** The suite over a syslog file with a few lines: this machine keeps neither a journal nor /var/log/syslog. */
class EventsToolConformanceTest extends StreamingToolConformance {

    @TempDir
    Path dir;

    @Override
    protected StreamingTool tool() {
        try {
            Path syslog = dir.resolve("syslog");
            if (!Files.exists(syslog)) {
                Files.writeString(syslog, "2026-12-05T15:00:00.000000+00:00 pc cron[12]: (root) CMD (true)\n"
                        + "Dec  5 15:00:01 pc sshd[13]: Accepted publickey for alice\n");
            }
            return new EventsTool(new FileEvents(List.of(syslog), Clock.systemDefaultZone()), Clock.systemDefaultZone());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
