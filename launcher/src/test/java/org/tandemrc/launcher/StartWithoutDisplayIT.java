package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem start} on a machine without a display (no DISPLAY, or one no X server answers): one
 * paragraph says so and what still works, no stack trace, and the console comes up all the same.
 */
class StartWithoutDisplayIT {

    @TempDir
    Path tmp;

    @Test
    void startWithoutADisplaySaysSoAndTheConsoleStillServes() throws Exception {
        for (Map<String, String> env : java.util.List.of(Map.of("DISPLAY", "", "WAYLAND_DISPLAY", ""),
                Map.of("DISPLAY", ":97", "WAYLAND_DISPLAY", ""))) {
            int port = ConsoleIT.freePort();
            Path home = tmp.resolve("start" + env.get("DISPLAY").length());
            try (NodeProcess node = NodeProcess.start(env, "start", "--home", home.toString(), "--http",
                    "127.0.0.1:" + port, "--listen", "tcp:127.0.0.1:" + ConsoleIT.freePort())) {
                node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
                String out = node.output();
                String first = out.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
                assertTrue(first.startsWith("No screen to share. "), out);
                assertTrue(first.contains(env.get("DISPLAY").isEmpty() ? "neither DISPLAY nor WAYLAND_DISPLAY is set"
                        : "The X display :97 (DISPLAY) does not answer"), first);
                assertTrue(first.contains("the browser console works") && first.contains("'tandem host'"), first);
                assertFalse(out.contains("Exception") || out.contains("\tat "), "no stack trace:\n" + out);
                assertTrue(out.contains("access     shared-password, role Full access"), out);
                HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/state")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, state.statusCode(), state.body());
                assertTrue(state.body().contains("\"setup\":true"), state.body());
            }
        }
    }
}
