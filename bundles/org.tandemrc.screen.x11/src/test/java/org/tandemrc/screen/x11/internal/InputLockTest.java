package org.tandemrc.screen.x11.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.screen.LocalInputLock;
import org.tandemrc.screen.x11.testing.TypingTarget;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The lock of the person's keyboard and mouse against a real X server: which devices the server has
 * attached is read with {@code xinput}, an observer apart from the lock's own connection.
 */
class InputLockTest {

    @TempDir
    Path tmp;

    @Test
    void lockedTheLocalDevicesFloatWhileInjectedTypingStillArrivesAndUnlockAttachesThemAgain() throws Exception {
        try (Xvfb x = Xvfb.start(800, 600, tmp); OpenScreen open = new OpenScreen(x.display);
                TypingTarget.Running target = TypingTarget.start(x.display, tmp)) {
            assertTrue(x.attached(Xvfb.KEYBOARD) && x.attached(Xvfb.MOUSE), x.xinput("list"));
            LocalInputLock.Hold hold = open.screen.inputLock().lock();
            assertFalse(x.attached(Xvfb.KEYBOARD), x.xinput("list"));
            assertFalse(x.attached(Xvfb.MOUSE), x.xinput("list"));
            assertTrue(x.attached(Xvfb.XTEST_KEYBOARD) && x.attached(Xvfb.XTEST_POINTER), "the Guest's way in stays open: "
                    + x.xinput("list"));
            for (int c : "locked".codePoints().toArray()) {
                open.screen.typeCharacter(c);
            }
            assertEquals("locked", target.awaitText("locked"));
            hold.close();
            assertTrue(x.attached(Xvfb.KEYBOARD) && x.attached(Xvfb.MOUSE), x.xinput("list"));
            assertFalse(open.screen.inputLock().locked());
        }
    }

    @Test
    void locksNestAndTheLastHoldClosedGivesTheDevicesBack() throws Exception {
        try (Xvfb x = Xvfb.start(640, 480, tmp); OpenScreen open = new OpenScreen(x.display)) {
            InputLock lock = open.screen.inputLock();
            LocalInputLock.Hold first = lock.lock();
            LocalInputLock.Hold second = lock.lock();
            first.close();
            first.close(); // twice: still one hold left
            assertFalse(x.attached(Xvfb.KEYBOARD), "one Guest's unlock does not end another's lock: " + x.xinput("list"));
            second.close();
            assertTrue(x.attached(Xvfb.KEYBOARD) && x.attached(Xvfb.MOUSE), x.xinput("list"));
            // and it locks again after
            try (LocalInputLock.Hold again = lock.lock()) {
                assertFalse(x.attached(Xvfb.MOUSE), x.xinput("list"));
            }
            assertTrue(x.attached(Xvfb.MOUSE), x.xinput("list"));
        }
    }

    @Test
    void closingTheScreenGivesTheDevicesBackWhateverHoldsAreOpen() throws Exception {
        try (Xvfb x = Xvfb.start(640, 480, tmp)) {
            OpenScreen open = new OpenScreen(x.display);
            try {
                open.screen.inputLock().lock();
                assertFalse(x.attached(Xvfb.KEYBOARD), x.xinput("list"));
            } finally {
                open.close(); // as the component's deactivate does when the Host stops
            }
            assertTrue(x.attached(Xvfb.KEYBOARD) && x.attached(Xvfb.MOUSE), x.xinput("list"));
        }
    }

    @Test
    void aDeviceAttachedAgainWhileLockedIsLockedAgain() throws Exception {
        try (Xvfb x = Xvfb.start(640, 480, tmp); OpenScreen open = new OpenScreen(x.display)) {
            // Looks every 3 s, so the device is seen attached before the lock looks again.
            InputLock lock = open.screen.inputLock(3000);
            try (LocalInputLock.Hold hold = lock.lock()) {
                // As a keyboard plugged in while locked: xinput attaches the grabbed device to its master again.
                x.xinput("reattach", Xvfb.KEYBOARD, "Virtual core keyboard");
                assertTrue(x.attached(Xvfb.KEYBOARD), "reattached: " + x.xinput("list"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (x.attached(Xvfb.KEYBOARD) && System.nanoTime() < deadline) {
                    Thread.sleep(100); // until the lock looks again
                }
                assertFalse(x.attached(Xvfb.KEYBOARD), x.xinput("list"));
            }
            assertTrue(x.attached(Xvfb.KEYBOARD), x.xinput("list"));
        }
    }

    @Test
    void aHostKilledWhileLockedLeavesTheDevicesAttached() throws Exception {
        try (Xvfb x = Xvfb.start(640, 480, tmp)) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), InputLockTest.class.getName(), x.display)
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("holder.log").toFile());
            Process holder = pb.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (x.attached(Xvfb.KEYBOARD) && System.nanoTime() < deadline) {
                    Thread.sleep(100); // the other process starts and locks
                }
                assertFalse(x.attached(Xvfb.KEYBOARD), x.xinput("list") + java.nio.file.Files.readString(tmp.resolve("holder.log")));
            } finally {
                holder.destroyForcibly(); // SIGKILL: no shutdown hook, no deactivate runs
                holder.waitFor(10, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(x.attached(Xvfb.KEYBOARD) && x.attached(Xvfb.MOUSE)) && System.nanoTime() < deadline) {
                Thread.sleep(50); // the server notices the closed connection
            }
            assertTrue(x.attached(Xvfb.KEYBOARD) && x.attached(Xvfb.MOUSE), x.xinput("list"));
        }
    }

    /** A Host stand-in for {@link #aHostKilledWhileLockedLeavesTheDevicesAttached}: locks display args[0], then waits to be killed. */
    public static void main(String[] args) throws Exception {
        X11Screen screen = new X11Screen();
        screen.open(args[0]);
        screen.inputLock().lock();
        Thread.sleep(TimeUnit.MINUTES.toMillis(2));
    }
}
