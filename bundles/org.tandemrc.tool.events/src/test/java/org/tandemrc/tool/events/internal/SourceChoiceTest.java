package org.tandemrc.tool.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;

/** Which source the configuration picks, and the file list as a .cfg file gives it. */
class SourceChoiceTest {

    static EventsTool.Config config(String source, String... files) {
        return new EventsTool.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EventsTool.Config.class;
            }

            @Override
            public String source() {
                return source;
            }

            @Override
            public String[] files() {
                return files;
            }
        };
    }

    @Test
    void filesFromACfgLineAreSplitAndRelativeOnesDropped() throws Exception {
        EventSource s = EventsTool.choose(config("files", "/var/log/a, relative/b ,/var/log/c", "/var/log/d"), Clock.systemUTC());
        FileEvents f = assertInstanceOf(FileEvents.class, s);
        assertEquals("the syslog files", f.kind());
        assertEquals(java.util.List.of(Path.of("/var/log/a"), Path.of("/var/log/c"), Path.of("/var/log/d")), f.files());
    }

    @Test
    void journalWhenAskedAndAutoFollowsWhatTheMachineKeeps() {
        if (Files.isExecutable(Path.of("/usr/bin/journalctl"))) {
            assertInstanceOf(JournalEvents.class, EventsTool.choose(config("journal"), Clock.systemUTC()));
        }
        EventSource auto = EventsTool.choose(config("auto", "/var/log/syslog"), Clock.systemUTC());
        assertEquals(EventsTool.journalKept() && Files.isExecutable(Path.of("/usr/bin/journalctl")) ? "the journal"
                : "the syslog files", auto.kind());
    }
}
