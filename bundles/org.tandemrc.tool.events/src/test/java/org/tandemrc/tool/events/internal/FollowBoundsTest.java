package org.tandemrc.tool.events.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.RecordingStream;
import org.tandemrc.api.tool.StreamInput;

/** What a hostile or runaway writer of the log cannot make the follower do. */
class FollowBoundsTest {

    @TempDir
    Path dir;

    EventsTool tool(Path file) {
        return new EventsTool(new FileEvents(List.of(file), Clock.systemDefaultZone()), Clock.systemDefaultZone());
    }

    @Test
    void aFloodWhileTheGuestTakesNothingStaysWithinTheWindow() throws Exception {
        Path file = Files.writeString(dir.resolve("syslog"), "");
        RecordingStream stream = new RecordingStream();
        stream.hold();
        StreamInput input = tool(file).open("follow", Map.of(), stream);
        try {
            String line = "2026-12-05T15:00:00+00:00 pc flood[1]: " + "x".repeat(200) + "\n";
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                byte[] b = line.repeat(1000).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 100; i++) { // about 24 MiB
                    out.write(b);
                }
            }
            stream.await(s -> false, 3000);
            assertNull(stream.violation());
            int held = stream.output().length;
            assertTrue(held > 0 && held <= RecordingStream.WINDOW, held + " bytes went out while the Guest took none");
            stream.release();
            assertTrue(stream.await(s -> s.output().length >= 24_000_000, 30_000), "all of it once the Guest takes it");
            assertNull(stream.violation());
        } finally {
            input.closed("test over");
            stream.closeByGuest();
        }
    }

    @Test
    void showKeepsTheNewestRowsThatFitOneAnswer() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append("2026-12-05T15:00:00+00:00 pc big[1]: ").append(i).append(' ').append("z".repeat(1000)).append('\n');
        }
        Path file = Files.writeString(dir.resolve("syslog"), text);
        org.tandemrc.api.tool.Result.Table t = (org.tandemrc.api.tool.Result.Table) tool(file).invoke("show", Map.of("lines", "5000"));
        assertTrue(t.rows().size() > 500 && t.rows().size() < 5000, t.rows().size() + " rows");
        assertTrue(t.rows().get(t.rows().size() - 1).get(5).startsWith("4999 "), "the newest is kept");
        long bytes = t.rows().stream().flatMap(List::stream).mapToLong(c -> c.length() + 4).sum();
        assertTrue(bytes <= EventsTool.MAX_TABLE_BYTES, bytes + " bytes");
    }

    @Test
    void anEndlessLineIsCut() throws Exception {
        Path file = Files.writeString(dir.resolve("syslog"), "");
        RecordingStream stream = new RecordingStream();
        StreamInput input = tool(file).open("follow", Map.of(), stream);
        try {
            Files.writeString(file, "2026-12-05T15:00:00+00:00 pc big[1]: " + "y".repeat(4 * 1024 * 1024) + "\nnext\n",
                    StandardOpenOption.APPEND);
            assertTrue(stream.await(s -> s.text().contains("next\n"), 10_000));
            List<String> lines = stream.text().lines().toList();
            assertEquals(2, lines.size());
            assertEquals(LogLine.MAX_LINE, lines.get(0).length());
        } finally {
            input.closed("test over");
            stream.closeByGuest();
        }
    }
}
