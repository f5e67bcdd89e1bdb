package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.HostDesktopIT.copied;
import static org.tandemrc.launcher.HostDesktopIT.closed;
import static org.tandemrc.launcher.HostDesktopIT.events;
import static org.tandemrc.launcher.HostDesktopIT.keys;
import static org.tandemrc.launcher.HostDesktopIT.logged;
import static org.tandemrc.launcher.HostDesktopIT.named;
import static org.tandemrc.launcher.HostDesktopIT.shoot;
import static org.tandemrc.launcher.HostDesktopIT.window;
import static org.tandemrc.launcher.HostDesktopIT.xdotool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The person at the Host starts a chat from the window of connected Guests, and a file a Guest sends does
 * not replace one that exists unless the person says so: a real Host on Xvfb, a Guest on the command line,
 * windows found by name and used with xdotool, as in {@link HostDesktopIT}.
 */
class HostChatIT {

    private static final String PASSWORD = "chat test password";

    @TempDir
    Path tmp;

    private interface Scenario {
        void run(Xvfb x, NodeProcess host, Path home) throws Exception;
    }

    /** A Host on its own Xvfb whose shared role (Helpdesk) has {@code privileges}, without confirm access. */
    private void onDesktop(String privileges, Map<String, String> etc, Scenario scenario) throws Exception {
        Path home = tmp.resolve("host");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Map<String, String> files = new java.util.HashMap<>(etc);
        files.put("org.tandemrc.host.role-helpdesk.cfg", "name = Helpdesk\nprivileges = " + privileges
                + "\nconfirm.access = false\n");
        files.put("org.tandemrc.host.security.cfg", "shared.role = Helpdesk\n");
        try (Xvfb x = Xvfb.start(1024, 768, Files.createDirectories(tmp.resolve("fb")));
                NodeProcess host = NodeProcess.host(home, pw, Map.of("DISPLAY", x.display), false, files)) {
            scenario.run(x, host, home);
        }
    }

    /** The Host's events, once one with {@code code} is there (within 20 s). */
    private static String eventsWith(Path home, String code) throws Exception {
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end) {
            Path file = home.resolve("data/log/events.log");
            if (Files.exists(file) && Files.readString(file).contains("\t" + code + "\t")) {
                return Files.readString(file);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + code + " event within 20 s: " + events(home));
    }

    @Test
    void thePersonAtTheHostStartsAChatWithAConnectedGuestWhoseProgramTakesIt() throws Exception {
        onDesktop("view_screen, chat", Map.of(), (x, host, home) -> {
            try (NodeProcess guest = NodeProcess.start(NodeProcess.guestArgs(tmp, PASSWORD, "connect", host.tcpAddress(),
                    "--stay"))) {
                guest.awaitLine(l -> l.startsWith("Staying connected"), 30_000);
                String status = window(x, home, "Connected Guests", "notice on the desktop", 1);
                assertEquals("", xdotool(x, "search", "--name", "Chat with"), "no chat before the person asks");
                keys(x, status, "alt+h");
                String chat = window(x, home, "Chat with", "chat on the desktop", 1);
                assertTrue(xdotool(x, "getwindowname", chat).matches("Tandem: Chat with .+@.+"),
                        xdotool(x, "getwindowname", chat));
                guest.awaitLine(l -> l.startsWith("Chat with ") && l.contains("started"), 20_000);
                String events = eventsWith(home, "HSESCHAT+");
                assertTrue(events.lines().anyMatch(l -> l.contains("\tHSESCHAT+\t")
                        && l.endsWith("Chat, role Helpdesk (opened by the person at the Host)")), events);

                // A click in the window, as the person makes sure it has the keyboard: its field takes it.
                keys(x, chat, "h");
                xdotool(x, "type", "--delay", "30", "ello from the desktop");
                xdotool(x, "key", "Return");
                guest.awaitLine(l -> l.endsWith(": hello from the desktop"), 10_000);
                guest.type("hello from the Guest");
                Thread.sleep(1000);
                shoot(x, chat, "host-desktop-chat-from-host");
                String lines = copied(x, chat, 100, 100);
                assertTrue(lines.contains("You: hello from the desktop") && lines.contains(": hello from the Guest"),
                        lines);

                // End chat ends the chat, not the connection: the Guest stays connected and hears why.
                keys(x, chat, "alt+e");
                guest.awaitLine(l -> l.startsWith("Chat ended: "), 10_000);
                eventsWith(home, "HSESCHAT-");
                Thread.sleep(500);
                assertFalse(guest.output().contains("Disconnected"), guest.output());
                // Chat again: a new chat, the Guest's program takes it again. The ended chat's window stays open
                // above the others (Xvfb runs no window manager to raise the one clicked): the status window is
                // raised first, as a click raises it on a desktop. A press a loaded machine lost is pressed again.
                long end = System.currentTimeMillis() + 30_000;
                for (int press = 0; press < 3 && logged(home, "chat on the desktop").size() < 2; press++) {
                    xdotool(x, "windowraise", status);
                    keys(x, status, "alt+h");
                    long wait = Math.min(end, System.currentTimeMillis() + 10_000);
                    while (logged(home, "chat on the desktop").size() < 2 && System.currentTimeMillis() < wait) {
                        Thread.sleep(100);
                    }
                }
                assertEquals(2, logged(home, "chat on the desktop").size(),
                        "a second chat window; the desktop's log: " + logged(home, "on the desktop"));
                while (guest.output().lines().filter(l -> l.startsWith("Chat with ") && l.contains("started")).count() < 2
                        && System.currentTimeMillis() < end) {
                    Thread.sleep(100);
                }
                assertEquals(2, guest.output().lines().filter(l -> l.startsWith("Chat with ")).count(), guest.output());
            }
        });
    }

    @Test
    void aGuestWhoseProgramTakesNoChatRefusesItAndThePersonIsToldWhy() throws Exception {
        onDesktop("view_screen, chat", Map.of(), (x, host, home) -> {
            CompletableFuture<NodeProcess.Result> watching = background("watch", host.tcpAddress(), "60");
            String status = window(x, home, "Connected Guests", "notice on the desktop", 1);
            Thread.sleep(1500);
            keys(x, status, "alt+h");
            long end = System.currentTimeMillis() + 20_000;
            while (logged(home, "on the desktop: No chat with").isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            List<String> told = logged(home, "on the desktop: No chat with");
            assertEquals(1, told.size(), "the heading says why");
            assertTrue(told.get(0).endsWith(": the Guest's program takes no chat the Host opens"), told.get(0));
            shoot(x, status, "host-desktop-chat-refused");
            assertEquals("", xdotool(x, "search", "--name", "Chat with"), "no chat window");
            assertFalse(events(home).contains("\tHSESCHAT+\t"), events(home));
            assertFalse(watching.isDone(), "the Guest watches on");
            keys(x, status, "alt+d");
            watching.get(30, TimeUnit.SECONDS);
        });
    }

    @Test
    void aRoleWithoutChatHasNoChatButton() throws Exception {
        onDesktop("view_screen", Map.of(), (x, host, home) -> {
            try (NodeProcess guest = NodeProcess.start(NodeProcess.guestArgs(tmp, PASSWORD, "connect", host.tcpAddress(),
                    "--stay"))) {
                guest.awaitLine(l -> l.startsWith("Staying connected"), 30_000);
                String status = window(x, home, "Connected Guests", "notice on the desktop", 1);
                Thread.sleep(1500);
                keys(x, status, "alt+h");
                Thread.sleep(2000);
                assertEquals("", xdotool(x, "search", "--name", "Chat with"), "Chat is disabled for this role");
                assertTrue(logged(home, "No chat with").isEmpty(), "nothing was even tried");
                assertFalse(guest.output().contains("Chat with"), guest.output());
            }
        });
    }

    @Test
    void aFileSavedOverOneThatExistsReplacesItOnlyOnceThePersonSaysSo() throws Exception {
        Path saved = Files.createDirectories(tmp.resolve("saved"));
        Path existing = Files.writeString(saved.resolve("figures.txt"), "last year's figures\n");
        Path report = Files.writeString(tmp.resolve("report.txt"), "quarterly figures\n".repeat(100));
        onDesktop("view_screen, transfer_files", Map.of("org.tandemrc.files.cfg", "offerFolder = " + saved
                + "\nofferSeconds = 90\n"), (x, host, home) -> {
                    CompletableFuture<NodeProcess.Result> sending = background("send", host.tcpAddress(), report.toString());
                    keys(x, window(x, home, "Receive a file", "asking on the desktop", 1), "alt+s");
                    String chooser = window(x, home, "Save the file from", "asking on the desktop", 1);
                    xdotool(x, "mousemove", "--window", chooser, "5", "5");
                    Thread.sleep(200);
                    xdotool(x, "type", "figures.txt");
                    xdotool(x, "key", "Return");
                    String question = named(x, "Replace figures.txt");
                    assertEquals("Tandem: Replace figures.txt?", xdotool(x, "getwindowname", question));
                    shoot(x, question, "host-desktop-receive-file-replace");
                    // Enter presses Cancel, which has the keyboard: back to choosing, the file as it was.
                    xdotool(x, "key", "Return");
                    closed(x, "the question closed", "--name", "Replace figures.txt");
                    assertEquals(chooser, xdotool(x, "search", "--name", "Save the file from"), "still choosing");
                    assertFalse(sending.isDone(), "the Guest still waits");
                    assertEquals("last year's figures\n", Files.readString(existing));
                    try (var files = Files.list(saved)) {
                        assertEquals(List.of(existing), files.toList(), "nothing written, not even a partial file");
                    }

                    // Chosen again (a click gives the save dialog the keyboard back, to its name field): Replace
                    // (Alt+R) saves over it.
                    keys(x, chooser, "Return");
                    keys(x, named(x, "Replace figures.txt"), "alt+r");
                    NodeProcess.Result r = sending.get(30, TimeUnit.SECONDS);
                    assertEquals(0, r.status(), r.out() + r.err());
                    assertEquals(Files.readString(report), Files.readString(existing));
                    assertTrue(events(home).contains("\tTSECFOFFR\t"), events(home));
                });
    }

    /** {@code tandem guest ARGS} running in the background, with its own Guest home. */
    private CompletableFuture<NodeProcess.Result> background(String... args) throws Exception {
        String[] command = NodeProcess.guestArgs(Files.createTempDirectory(tmp, "guest"), PASSWORD, args);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return NodeProcess.run(command);
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
