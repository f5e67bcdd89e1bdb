package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.HostDesktopIT.closed;
import static org.tandemrc.launcher.HostDesktopIT.keys;
import static org.tandemrc.launcher.HostDesktopIT.shoot;
import static org.tandemrc.launcher.HostDesktopIT.window;
import static org.tandemrc.launcher.HostDesktopIT.xdotool;
import static org.tandemrc.launcher.Homes.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * System Control on a real Host on Xvfb: the Guest asks for a restart with a message and a countdown, the
 * window shows both, the person at the Host postpones it with Enter (found and pressed with xdotool as in
 * {@link HostDesktopIT}), the Guest calls it off; then a lock runs at the end of its countdown. Every
 * command is a recorder script: the test machine is never restarted.
 */
class PowerDesktopIT {

    private static final String PASSWORD = "system control host password";

    @TempDir
    Path tmp;

    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    @Test
    void thePersonAtTheHostSeesTheCountdownAndPostponesAndTheCommandRunsAtItsEnd() throws Exception {
        Path record = tmp.resolve("record");
        Path recorder = tmp.resolve("recorder");
        Files.writeString(recorder, "#!/bin/sh\necho \"$*\" >> " + record + "\n");
        Files.setPosixFilePermissions(recorder, PosixFilePermissions.fromString("rwx------"));
        String commands = "restart.command = " + recorder + " restart\nshutdown.command = " + recorder + " shutdown\n"
                + "logoff.command = " + recorder + " logoff {user}\nlock.command = " + recorder + " lock\n"
                + "postpone.minutes = 1\nmax.postpones = 2\n";
        Path home = tmp.resolve("host");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        try (Xvfb x = Xvfb.start(1024, 768, Files.createDirectories(tmp.resolve("fb")));
                NodeProcess host = NodeProcess.host(home, pw, Map.of("DISPLAY", x.display), false, Map.of(
                        "node.properties", "features = comm-tcp, sessions, terminal, log-file, tools-power\n",
                        "org.tandemrc.tool.power.cfg", commands))) {
            String address = host.tcpAddress();
            NodeProcess.Result r = guest("tool", address, "power", "restart", "message=<html><b>Updates</b> are in",
                    "countdown=120", "postpone=true");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("The computer restarts in 120 s: the person at the Host sees it, who may postpone it by 1 min"
                    + " up to 2 times.\n", r.out());
            String w = window(x, home, "The computer restarts", "countdown on the desktop", 1);
            assertEquals("Tandem: The computer restarts", xdotool(x, "getwindowname", w));
            shoot(x, w, "host-desktop-countdown");
            keys(x, w, "Return");
            closed(x, "Postpone closed the window", "--name", "The computer restarts");
            r = guest("tool", address, "power", "status");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Coming: Restart\n") && r.out().contains("Postponed: 1\n"), r.out());
            r = guest("tool", address, "power", "cancel");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().startsWith("Restart (due at "), r.out());
            assertTrue(Files.notExists(record), "nothing ran");

            r = guest("tool", address, "power", "lock", "message=Lunch", "countdown=3");
            assertEquals(0, r.status(), r.out() + r.err());
            window(x, home, "The screen locks", "countdown on the desktop", 2);
            closed(x, "the window goes when the countdown ends", "--name", "The screen locks");
            for (int i = 0; i < 100 && Files.notExists(record); i++) {
                Thread.sleep(100);
            }
            assertEquals(List.of("lock"), Files.readAllLines(record));
            String events = events(home);
            assertTrue(events.contains("power restart") && events.contains("power cancel") && events.contains("power lock"),
                    events);
        }
    }
}
