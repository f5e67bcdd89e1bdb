package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.Homes.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.TypingTarget;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * Lock keyboard and mouse end to end: a Host on a real X server (Xvfb) with its desktop, a Guest on the
 * command line that locks. Whether the person's devices are locked is read with {@code xinput}, apart from
 * the Host; the notice is found by its window name with xdotool, and kept as a screenshot in
 * {@code target/desktop-screenshots}.
 */
class LockIT {

    private static final String PASSWORD = "lock test password";
    private static final String NOTICE = "Keyboard and mouse locked by";

    @TempDir
    Path tmp;

    /** What a test does with the X server, the Host on it and the Host's home. */
    private interface Scenario {
        void run(Xvfb x, NodeProcess host, Path home) throws Exception;
    }

    /** Runs {@code scenario} with a Host sharing its own Xvfb, its desktop on, the default role (Full access). */
    private void onHost(Scenario scenario) throws Exception {
        Path home = tmp.resolve("host");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        try (Xvfb x = Xvfb.start(1024, 768, Files.createDirectories(tmp.resolve("fb")));
                NodeProcess host = NodeProcess.host(home, pw, Map.of("DISPLAY", x.display), false, Map.of())) {
            scenario.run(x, host, home);
        }
    }

    /** {@code tandem guest lock ADDRESS SECONDS} in the background, with a Guest home of its own. */
    private NodeProcess lock(NodeProcess host, int seconds) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "locker");
        return NodeProcess.start(NodeProcess.guestArgs(dir, PASSWORD, "lock", host.tcpAddress(), String.valueOf(seconds)));
    }

    /** Waits up to {@code seconds} until both local devices are attached (or both locked); says whether they are. */
    private static boolean await(Xvfb x, boolean attached, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (x.attached(Xvfb.KEYBOARD) == attached && x.attached(Xvfb.MOUSE) == attached) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Waits up to 20 s for a window whose name contains {@code name} to be there, or to be gone. */
    private static String window(Xvfb x, String name, boolean there) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String found = "";
        while (System.nanoTime() < deadline) {
            found = HostDesktopIT.xdotool(x, "search", "--onlyvisible", "--name", name);
            if (found.isEmpty() != there) {
                return found;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the window '" + name + "' is " + (there ? "not there" : "still there: " + found));
    }

    @Test
    void aLockedHostIsGivenBackWhenTheLockingGuestIsKilled() throws Exception {
        onHost((x, host, home) -> {
            assertTrue(await(x, true, 1), x.xinput("list"));
            try (TypingTarget.Running target = TypingTarget.start(x.display, tmp)) {
                NodeProcess locker = lock(host, 300);
                try {
                    assertTrue(await(x, false, 30), "locked: " + x.xinput("list") + locker.output());
                    assertTrue(x.attached(Xvfb.XTEST_KEYBOARD), x.xinput("list"));
                    String notice = window(x, NOTICE, true);
                    HostDesktopIT.shoot(x, notice.split("\\s+")[0], "lock-notice");
                    // The Guest's input still arrives while the person's cannot.
                    NodeProcess.Result r = NodeProcess.run(NodeProcess.guestArgs(Files.createTempDirectory(tmp, "typist"),
                            PASSWORD, "type", host.tcpAddress(), "still typing"));
                    assertEquals(0, r.status(), r.out() + r.err());
                    assertEquals("still typing", target.awaitText("still typing"));
                    assertTrue(events(home).contains("\tHACTKBD-\t"), events(home));
                } finally {
                    long killed = System.nanoTime();
                    locker.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: the Guest says nothing
                    assertTrue(await(x, true, 10), "the Host gives keyboard and mouse back within 10 s of the Guest's"
                            + " death: " + x.xinput("list"));
                    System.out.printf("keyboard and mouse back %d ms after the Guest was killed%n",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                }
            }
            window(x, NOTICE, false);
            String log = events(home);
            assertTrue(log.contains("\tHACTKBD+\t") && log.contains("the session ended"), log);
        });
    }

    @Test
    void aLockEndsWhenTheGuestUnlocksAndWhenTheHostStops() throws Exception {
        onHost((x, host, home) -> {
            NodeProcess.Result r = NodeProcess.run(NodeProcess.guestArgs(Files.createTempDirectory(tmp, "brief"),
                    PASSWORD, "lock", host.tcpAddress(), "2"));
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("kept the Host's keyboard and mouse locked for 2 s; unlocked them"), r.out());
            assertTrue(await(x, true, 1), x.xinput("list"));
            assertTrue(events(home).contains("the Guest unlocked them"), events(home));

            NodeProcess locker = lock(host, 300);
            try {
                assertTrue(await(x, false, 30), "locked: " + x.xinput("list") + locker.output());
                host.close(); // the Host stops while a Guest holds the lock
                assertFalse(host.process().isAlive());
                assertTrue(await(x, true, 10), "the stopped Host gave keyboard and mouse back: " + x.xinput("list"));
            } finally {
                locker.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        });
    }
}
