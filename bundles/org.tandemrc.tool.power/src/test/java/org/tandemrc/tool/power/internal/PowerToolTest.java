package org.tandemrc.tool.power.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemrc.api.countdown.Countdown;
import org.tandemrc.api.countdown.CountdownNotice;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/**
 * The countdowns and what happens at their end, with every command pointed at a recorder script (never
 * the machine's shutdown) and the person at the Host played by the test.
 */
class PowerToolTest {

    @TempDir
    Path dir;
    Path record;
    PowerTool tool;
    /** The countdowns the "desktop" was asked to show, with the answer the test gives. */
    final LinkedBlockingQueue<Map.Entry<Countdown, CompletableFuture<CountdownNotice.Answer>>> shown = new LinkedBlockingQueue<>();

    @BeforeEach
    void recorder() throws Exception {
        record = dir.resolve("record");
        Path script = dir.resolve("recorder");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> " + record + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        tool = new PowerTool();
        tool.configure(Map.of(PowerTool.Action.RESTART, List.of(script.toString(), "restart"),
                PowerTool.Action.SHUTDOWN, List.of(script.toString(), "shutdown"),
                PowerTool.Action.LOGOFF, List.of(script.toString(), "logoff"),
                PowerTool.Action.LOCK, List.of(script.toString(), "lock")), Duration.ofMillis(1500), 2);
        tool.setNotice(c -> {
            CompletableFuture<CountdownNotice.Answer> f = new CompletableFuture<>();
            shown.add(Map.entry(c, f));
            return f;
        });
    }

    @AfterEach
    void stop() {
        tool.deactivate();
    }

    List<String> recorded() throws Exception {
        return Files.exists(record) ? Files.readAllLines(record) : List.of();
    }

    void awaitRecorded(List<String> expected) throws Exception {
        for (int i = 0; i < 100 && !recorded().equals(expected); i++) {
            Thread.sleep(50);
        }
        assertEquals(expected, recorded());
    }

    @Test
    void theCommandRunsWhenTheCountdownEndsAfterTheDesktopShowedTheMessage() throws Exception {
        String m = ((Result.Message) tool.invoke("restart", Map.of("message", "<html><b>Updates</b> are installed", "countdown", "1")))
                .text();
        assertEquals("The computer restarts in 1 s: the person at the Host sees it.", m);
        Map.Entry<Countdown, CompletableFuture<CountdownNotice.Answer>> e = shown.poll(5, TimeUnit.SECONDS);
        assertEquals(new Countdown("The computer restarts", "<html><b>Updates</b> are installed", "A Guest", Duration.ofSeconds(1),
                Duration.ZERO), e.getKey());
        assertEquals("Restart", ((Result.Form) tool.invoke("status", Map.of())).values().get("coming"));
        awaitRecorded(List.of("restart"));
        assertTrue(e.getValue().isCancelled(), "the window closes when it happens");
        Map<String, String> status = ((Result.Form) tool.invoke("status", Map.of())).values();
        // The recorder wrote its line before it exited; the tool notes the outcome once it has its exit status.
        for (int i = 0; i < 100 && status.get("last").isEmpty(); i++) {
            Thread.sleep(50);
            status = ((Result.Form) tool.invoke("status", Map.of())).values();
        }
        assertEquals("nothing", status.get("coming"));
        assertTrue(status.get("last").matches("restart at \\S+: \\S+/recorder restart ran"), status.get("last"));
    }

    @Test
    void thePersonPostponesAsOftenAsAllowedThenItHappens() throws Exception {
        String m = ((Result.Message) tool.invoke("shutdown", Map.of("countdown", "1", "postpone", "true"))).text();
        assertEquals("The computer shuts down in 1 s: the person at the Host sees it, who may postpone it by 0 min up to 2 times.", m);
        for (int i = 1; i <= 2; i++) {
            var e = shown.poll(5, TimeUnit.SECONDS);
            assertEquals(Duration.ofMillis(1500), e.getKey().postpone(), "postpone " + i + " offered");
            e.getValue().complete(CountdownNotice.Answer.POSTPONED);
            Thread.sleep(1200);
            assertEquals(List.of(), recorded(), "postponed " + i);
            assertEquals(Integer.toString(i), ((Result.Form) tool.invoke("status", Map.of())).values().get("postponed"));
        }
        var last = shown.poll(5, TimeUnit.SECONDS);
        assertTrue(!last.getKey().postponable(), "no third postpone");
        last.getValue().complete(CountdownNotice.Answer.POSTPONED); // a window that answers anyway changes nothing
        awaitRecorded(List.of("shutdown"));
    }

    @Test
    void aGuestCallsItOffAndOnlyOneActionComesAtATime() throws Exception {
        tool.invoke("lock", Map.of("countdown", "2"));
        ToolException busy = assertThrows(ToolException.class, () -> tool.invoke("logoff", Map.of("countdown", "2")));
        assertTrue(busy.getMessage().startsWith("Lock the screen is coming already, at "), busy.getMessage());
        var e = shown.poll(5, TimeUnit.SECONDS);
        String m = ((Result.Message) tool.invoke("cancel", Map.of())).text();
        assertTrue(m.startsWith("Lock the screen (due at ") && m.endsWith(") is called off."), m);
        assertTrue(e.getValue().isCancelled(), "the window closes");
        Thread.sleep(2500);
        assertEquals(List.of(), recorded());
        assertEquals("nothing is coming", assertThrows(ToolException.class, () -> tool.invoke("cancel", Map.of())).getMessage());
        tool.invoke("logoff", Map.of("countdown", "0"));
        awaitRecorded(List.of("logoff"));
    }

    @Test
    void withoutADesktopItSaysNobodyIsWarned() throws Exception {
        tool.unsetNotice(tool.notice());
        String m = ((Result.Message) tool.invoke("lock", Map.of("countdown", "0"))).text();
        assertEquals("The screen locks in 0 s; no desktop shows it to the person at the Host.", m);
        awaitRecorded(List.of("lock"));
    }

    /** Hostile values are refused before anything is scheduled; the message never reaches the command. */
    @ParameterizedTest
    @ValueSource(strings = {"countdown=-1", "countdown=3601", "countdown=99999999999", "countdown=1e3", "countdown=$(reboot)"})
    void outOfBoundCountdownsAreRefused(String argument) throws Exception {
        String[] kv = argument.split("=", 2);
        assertThrows(ToolException.class, () -> tool.invoke("restart", Map.of(kv[0], kv[1])));
        assertEquals("nothing", ((Result.Form) tool.invoke("status", Map.of())).values().get("coming"));
    }

    @Test
    void aLongMessageIsRefusedAndAMessageNeverBecomesAnArgument() throws Exception {
        assertThrows(ToolException.class, () -> tool.invoke("restart", Map.of("message", "x".repeat(1001))));
        tool.invoke("restart", Map.of("message", "now; touch " + dir.resolve("pwned") + " $(id)", "countdown", "0"));
        awaitRecorded(List.of("restart"));
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void configuredCommandsAreSplitAtSpacesWithTheNodesUser() {
        assertEquals(List.of("/usr/bin/loginctl", "terminate-user", System.getProperty("user.name")),
                PowerTool.argv(" /usr/bin/loginctl  terminate-user {user} "));
    }
}
