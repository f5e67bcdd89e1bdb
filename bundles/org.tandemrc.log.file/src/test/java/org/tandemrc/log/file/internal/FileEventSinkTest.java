package org.tandemrc.log.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class FileEventSinkTest {

    @Test
    void defaultFileIsUnderTheHome() {
        assertEquals(Path.of("/srv/node/data/log/events.log"), FileEventSink.resolve(FileEventSink.DEFAULT_FILE, "/srv/node"));
        assertEquals(Path.of("/srv/node/data/log/events.log"), FileEventSink.resolve("", "/srv/node"));
    }

    @Test
    void defaultFileWithoutHomeIsInTheWorkingDirectory() {
        assertEquals(Path.of("events.log"), FileEventSink.resolve(FileEventSink.DEFAULT_FILE, null));
        assertEquals(Path.of("events.log"), FileEventSink.resolve(" ", ""));
        assertEquals(Path.of("audit/x.log"), FileEventSink.resolve("${tandem.home}/audit/x.log", null));
    }

    @Test
    void relativeAndAbsolutePaths() {
        assertEquals(Path.of("/srv/node/audit.log"), FileEventSink.resolve("audit.log", "/srv/node"));
        assertEquals(Path.of("/var/log/tandem.log"), FileEventSink.resolve("/var/log/tandem.log", "/srv/node"));
    }
}
