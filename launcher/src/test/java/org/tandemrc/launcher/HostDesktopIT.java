package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.TypingTarget;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The person at the Host on a real X server (Xvfb): a Host started with DISPLAY gets the desktop, a
 * Guest on the command line asks, the dialog is found by its window name with xdotool, answered with
 * real key presses, and the outcome and the Host's events follow. Screenshots of the dialogs land in
 * {@code target/desktop-screenshots}.
 */
class HostDesktopIT {

    static final Path SCREENSHOTS = Path.of("target/desktop-screenshots");
    private static final String PASSWORD = "desktop test password";
    /** The Guest CLI's exit status when the Host refuses or ends a session (support's ExitStatus.REFUSED). */
    private static final int REFUSED = 7;
    private static final String ROLE = "name = Helpdesk\nprivileges = view_screen, control_input, chat\nconfirm.access = ";

    @TempDir
    Path tmp;

    /** What a test does with the X server, the Host on it and the Host's home. */
    private interface Scenario {
        void run(Xvfb x, NodeProcess host, Path home) throws Exception;
    }

    /**
     * Runs {@code scenario} with a Host on its own Xvfb whose shared role (Helpdesk) needs confirm access
     * when {@code confirmSeconds} is above 0.
     */
    private void onDesktop(int confirmSeconds, Scenario scenario) throws Exception {
        onDesktop(ROLE + (confirmSeconds > 0) + "\n", Math.max(1, confirmSeconds), scenario);
    }

    /** Runs {@code scenario} with a Host on its own Xvfb whose shared role is {@code role}. */
    private void onDesktop(String role, int confirmSeconds, Scenario scenario) throws Exception {
        onDesktop(role, confirmSeconds, Map.of(), scenario);
    }

    /** As above, with more files in the Host's {@code etc}. */
    private void onDesktop(String role, int confirmSeconds, Map<String, String> etc, Scenario scenario) throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        Path home = tmp.resolve("host");
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        try (Xvfb x = Xvfb.start(1024, 768, fb);
                NodeProcess host = NodeProcess.host(home, pw, Map.of("DISPLAY", x.display), false, files(etc,
                        "org.tandemrc.host.role-helpdesk.cfg", role,
                        "org.tandemrc.host.security.cfg", "shared.role = Helpdesk\nconfirm.timeout = " + confirmSeconds + "\n"))) {
            scenario.run(x, host, home);
        }
    }

    private static Map<String, String> files(Map<String, String> more, String... pairs) {
        Map<String, String> all = new java.util.HashMap<>(more);
        for (int i = 0; i < pairs.length; i += 2) {
            all.put(pairs[i], pairs[i + 1]);
        }
        return all;
    }

    /** A Guest screenshot, which needs confirm access under the Helpdesk role, running in the background. */
    private CompletableFuture<NodeProcess.Result> screenshot(NodeProcess host, String name) {
        return guest("screenshot", host.tcpAddress(), "--out", tmp.resolve(name + ".png").toString());
    }

    /** {@code tandem guest ARGS} running in the background (each with its own Guest home). */
    private CompletableFuture<NodeProcess.Result> guest(String... args) {
        String[] command;
        try {
            command = NodeProcess.guestArgs(Files.createTempDirectory(tmp, "guest"), PASSWORD, args);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return NodeProcess.run(command);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static String xdotool(Xvfb x, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("xdotool"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DISPLAY", x.display);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "xdotool " + String.join(" ", args) + " hangs");
        return p.exitValue() == 0 ? out : "";
    }

    /**
     * The id of the one window whose name matches, once the Host logged that it shows its {@code nth}
     * question (1 for the first): the window is then painted and holds the keyboard.
     */
    private static String window(Xvfb x, Path home, String name, int nth) throws Exception {
        return window(x, home, name, "asking on the desktop", nth);
    }

    /** As {@link #window(Xvfb, Path, String, int)}, counting the Host log's lines that contain {@code logged}. */
    static String window(Xvfb x, Path home, String name, String logged, int nth) throws Exception {
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end) {
            String found = xdotool(x, "search", "--name", name);
            if (!found.isEmpty() && logged(home, logged).size() >= nth) {
                String[] ids = found.split("\\s+");
                assertEquals(1, ids.length, "one window named " + name + ": " + found);
                Thread.sleep(300);
                return ids[0];
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no window named '" + name + "' appeared within 20 s");
    }

    /**
     * Asserts that no window matching {@code search} (xdotool search arguments) is left within 20 s: a
     * loaded machine may take a while to close a window after the key that closes it. Gone twice in a row,
     * as a search while windows close may fail on one that vanished under it.
     */
    static void closed(Xvfb x, String why, String... search) throws Exception {
        String[] args = new String[search.length + 1];
        args[0] = "search";
        System.arraycopy(search, 0, args, 1, search.length);
        long end = System.currentTimeMillis() + 20_000;
        int empty = 0;
        while (empty < 2 && System.currentTimeMillis() < end) {
            empty = xdotool(x, args).isEmpty() ? empty + 1 : 0;
            Thread.sleep(200);
        }
        assertEquals("", xdotool(x, args), why);
    }

    /** The Host log's lines about questions shown on the desktop, each with what the window holds. */
    private static List<String> asked(Path home) throws IOException {
        return logged(home, "asking on the desktop");
    }

    static List<String> logged(Path home, String text) throws IOException {
        return Files.readString(home.resolve("data/log/tandem.log")).lines().filter(l -> l.contains(text)).toList();
    }

    /**
     * Saves the window as PNG (ImageMagick's import) into the test output, under {@code name}, once it
     * is painted: a window just mapped is one flat colour, a few hundred bytes as PNG.
     */
    static Path shoot(Xvfb x, String window, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path png = SCREENSHOTS.resolve(name + ".png").toAbsolutePath();
        long end = System.currentTimeMillis() + 10_000;
        do {
            ProcessBuilder pb = new ProcessBuilder("import", "-window", window, png.toString()).redirectErrorStream(true);
            pb.environment().put("DISPLAY", x.display);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "import failed: " + out);
            if (Files.size(png) > 1000) {
                return png;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < end);
        throw new AssertionError("the window " + name + " is still blank after 10 s: " + png);
    }

    /**
     * Presses keys on the window after a click on its heading, as a person would make sure it has the
     * keyboard (xdotool's windowfocus would focus the frame's X window, not the one Java reads keys from).
     */
    static void keys(Xvfb x, String window, String keys) throws Exception {
        xdotool(x, "mousemove", "--window", window, "30", "20", "click", "1");
        Thread.sleep(200);
        xdotool(x, "key", keys);
    }

    /** The Host's events so far: none while it has written none. */
    private static String eventsSoFar(Path home) throws IOException {
        Path file = home.resolve("data/log/events.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    static String events(Path home) throws IOException {
        return Files.readString(home.resolve("data/log/events.log"));
    }

    /** A role that may chat and send messages without confirm access. */
    private static final String TALKING = "name = Helpdesk\nprivileges = view_screen, chat, send_message\nconfirm.access = false\n";
    /** A Guest's text that Swing would render as markup in a label. */
    private static final String MARKUP = "<html><img src=http://198.51.100.7/x.png><b>bank</b>";

    /** What the X clipboard holds (xclip), once Java hands it over. */
    static String clipboard(Xvfb x) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("xclip", "-o", "-selection", "clipboard").redirectErrorStream(true);
        pb.environment().put("DISPLAY", x.display);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "xclip hangs");
        return out;
    }

    @Test
    void aMessageStaysOnTheDesktopUntilClosedAndIsDeliveredOnlyOnceShown() throws Exception {
        onDesktop(TALKING, 1, (x, host, home) -> {
            CompletableFuture<NodeProcess.Result> sending = guest("message", host.tcpAddress(), MARKUP, "is fixed");
            NodeProcess.Result r = sending.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("Message delivered. The Host showed it to the person there."), r.out());
            // The Host logs the window when it is on screen, before it answers ok: the line is there already.
            List<String> shown = logged(home, "message on the desktop");
            assertEquals(1, shown.size(), "delivered only once shown: " + shown);
            assertTrue(shown.get(0).contains("Message from ") && shown.get(0).contains("@"), shown.get(0));
            String message = window(x, home, "Message from", "message on the desktop", 1);
            shoot(x, message, "host-desktop-message");
            Thread.sleep(1000);
            assertEquals(message, xdotool(x, "search", "--name", "Message from"), "it stays until the person closes it");
            keys(x, message, "Return");
            closed(x, "Enter closed it", "--name", "Message from");
            assertFalse(logged(home, "Message from").stream().anyMatch(l -> l.contains("bank")),
                    "the message's text stays out of the log");
        });
    }

    @Test
    void aChatRunsBothWaysThroughTheChatWindow() throws Exception {
        onDesktop(TALKING, 1, (x, host, home) -> {
            try (NodeProcess guest = NodeProcess.start(NodeProcess.guestArgs(tmp, PASSWORD, "chat", host.tcpAddress()))) {
                guest.awaitLine(l -> l.startsWith("Chat with"), 30_000);
                String chat = window(x, home, "Chat with", "chat on the desktop", 1);
                assertTrue(xdotool(x, "getwindowname", chat).matches("Tandem: Chat with .+@.+"),
                        xdotool(x, "getwindowname", chat));
                guest.type(MARKUP + " from the Guest");
                Thread.sleep(1000);
                // A line typed in the window (its field has the keyboard once the window has) reaches the Guest.
                keys(x, chat, "h");
                xdotool(x, "type", "--delay", "30", "ello from the desktop");
                xdotool(x, "key", "Return");
                guest.awaitLine(l -> l.endsWith(": hello from the desktop"), 10_000);
                shoot(x, chat, "host-desktop-chat");
                // What the window shows, copied out of it as text: the Guest's line as its characters.
                String[] size = xdotool(x, "getwindowgeometry", "--shell", chat).lines()
                        .filter(l -> l.startsWith("WIDTH=") || l.startsWith("HEIGHT=")).map(l -> l.substring(l.indexOf('=') + 1))
                        .toArray(String[]::new);
                xdotool(x, "mousemove", "--window", chat, String.valueOf(Integer.parseInt(size[0]) / 2),
                        String.valueOf(Integer.parseInt(size[1]) / 2), "click", "1");
                Thread.sleep(300);
                xdotool(x, "key", "ctrl+a", "ctrl+c");
                Thread.sleep(500);
                String lines = clipboard(x);
                assertTrue(lines.contains(": " + MARKUP + " from the Guest"), lines);
                assertTrue(lines.contains("You: hello from the desktop"), lines);
                guest.type("/end");
                assertEquals(0, guest.awaitExit(20_000), guest.output());
                Thread.sleep(500);
                xdotool(x, "key", "ctrl+a", "ctrl+c");
                Thread.sleep(500);
                assertTrue(clipboard(x).contains("The chat ended: "), clipboard(x));
                keys(x, chat, "Escape");
                closed(x, "Esc closed the ended chat", "--name", "Chat with");
            }
        });
    }

    /** The id of the one window named {@code name}, once it is there (within 20 s). */
    static String named(Xvfb x, String name) throws Exception {
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end) {
            String found = xdotool(x, "search", "--name", name);
            if (!found.isEmpty()) {
                assertEquals(1, found.split("\\s+").length, "one window named " + name + ": " + found);
                Thread.sleep(300);
                return found;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no window named '" + name + "' appeared within 20 s");
    }

    /** What a text area of {@code window} holds: clicked at (x, y), all selected and copied. */
    static String copied(Xvfb x, String window, int atX, int atY) throws Exception {
        xdotool(x, "mousemove", "--window", window, String.valueOf(atX), String.valueOf(atY), "click", "1");
        Thread.sleep(300);
        xdotool(x, "key", "ctrl+a", "ctrl+c");
        Thread.sleep(500);
        return clipboard(x);
    }

    @Test
    void askForHelpOnTheDesktopSendsTheRequestAsTheCommandDoesAndShowsItsStatus() throws Exception {
        int helpDesk;
        int http;
        try (java.net.ServerSocket a = new java.net.ServerSocket(0); java.net.ServerSocket b = new java.net.ServerSocket(0)) {
            helpDesk = a.getLocalPort();
            http = b.getLocalPort();
        }
        Path provider = tmp.resolve("console");
        Homes.write(provider, Homes.defaults());
        Homes.write(provider, Map.of("org.tandemrc.guest.helpdesk.cfg",
                "services = Support\nlisten = tcp:127.0.0.1:" + helpDesk + "\n"));
        try (NodeProcess console = NodeProcess.start("console", "--home", provider.toString(), "--http", "127.0.0.1:" + http)) {
            console.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
            onDesktop(TALKING, 1, Map.of("org.tandemrc.host.desktop.cfg", "help.launcher = true\n"), (x, host, home) -> {
                String launcher = named(x, "Help desk button");
                xdotool(x, "mousemove", "--window", launcher, "20", "12", "click", "1");
                String form = named(x, "Ask for help$");
                keys(x, form, "alt+h"); // the label's mnemonic: to the help service field
                xdotool(x, "type", "--delay", "20", "Support");
                xdotool(x, "key", "Tab");
                xdotool(x, "type", "--delay", "20", "tcp:127.0.0.1:" + helpDesk);
                xdotool(x, "key", "Tab");
                xdotool(x, "type", "--delay", "20", "the scanner saves blank pages");
                xdotool(x, "key", "alt+s");
                long end = System.currentTimeMillis() + 30_000;
                while (!eventsSoFar(home).contains("\tHACTHLPRQ+\t") && System.currentTimeMillis() < end) {
                    Thread.sleep(200);
                }
                assertTrue(eventsSoFar(home).contains("\tHACTHLPRQ+\t"), eventsSoFar(home) + Files.readString(home.resolve("data/log/tandem.log")));
                NodeProcess.Result r = NodeProcess.admin(home, "help", "status");
                assertTrue(r.out().startsWith("pending: help from Support at tcp:127.0.0.1:" + helpDesk)
                        && r.out().contains("problem: the scanner saves blank pages"), r.out() + r.err());
                Thread.sleep(2500); // the form reads the status again every 2 s
                shoot(x, form, "host-desktop-help");
                String[] size = xdotool(x, "getwindowgeometry", "--shell", form).lines()
                        .filter(l -> l.startsWith("WIDTH=") || l.startsWith("HEIGHT=")).map(l -> l.substring(l.indexOf('=') + 1))
                        .toArray(String[]::new);
                int statusY = Integer.parseInt(size[1]) - 70;
                String shown = copied(x, form, Integer.parseInt(size[0]) / 2, statusY);
                assertTrue(shown.startsWith("pending: help from Support"), "the form shows the status: " + shown);
                xdotool(x, "key", "alt+c");
                end = System.currentTimeMillis() + 20_000;
                while (!events(home).contains("\tHACTHLPRQ-\t") && System.currentTimeMillis() < end) {
                    Thread.sleep(200);
                }
                assertTrue(events(home).contains("\tHACTHLPRQ-\t"), events(home));
                Thread.sleep(500);
                shown = copied(x, form, Integer.parseInt(size[0]) / 2, statusY);
                // The command's answer, or the status read again after it.
                assertTrue(shown.contains("help request to Support canceled")
                        || shown.startsWith("ended: help from Support") && shown.endsWith("canceled: by the Host user"), shown);
                keys(x, form, "Escape");
                closed(x, "Esc hid the form", "--onlyvisible", "--name", "Ask for help$");
            });
        }
    }

    @Test
    void allowOnTheDesktopLetsTheSessionStart() throws Exception {
        onDesktop(60, (x, host, home) -> {
            CompletableFuture<NodeProcess.Result> guest = screenshot(host, "allowed");
            String dialog = window(x, home, "Confirm access", 1);
            String title = xdotool(x, "getwindowname", dialog);
            assertTrue(title.startsWith("Tandem: Confirm access") && title.contains("@"), title);
            shoot(x, dialog, "host-desktop-confirm");
            // What the window holds, read through its accessibility tree and kept in the Host's log.
            String asked = asked(home).get(0);
            assertTrue(asked.contains("wants to connect to this computer") && asked.contains("Connects from: | 127.0.0.1:")
                    && asked.contains("Role: | Helpdesk") && asked.contains("see your screen")
                    && asked.contains("use your keyboard and mouse") && asked.contains("chat with you")
                    && asked.contains("wants to start a Remote Control session")
                    && asked.contains("Denied automatically in ") && asked.contains("| Allow | Deny"), asked);
            assertFalse(guest.isDone(), "the session waits for the person");
            keys(x, dialog, "alt+a");
            NodeProcess.Result r = guest.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("saved a 1024x768 screenshot"), r.out());
            assertTrue(events(home).contains("\tSECCA\t"), events(home));
            closed(x, "the dialog closed", "--name", "Confirm access");
        });
    }

    @Test
    void denyOnTheDesktopAndNoAnswerBothRefuse() throws Exception {
        onDesktop(8, (x, host, home) -> {
            CompletableFuture<NodeProcess.Result> guest = screenshot(host, "denied");
            String dialog = window(x, home, "Confirm access", 1);
            keys(x, dialog, "Escape");
            NodeProcess.Result r = guest.get(30, TimeUnit.SECONDS);
            assertEquals(REFUSED, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("the person at the Host refused access"), r.err());
            assertTrue(events(home).contains("\tSECCA!\t"), events(home));
            assertFalse(Files.exists(tmp.resolve("denied.png")));

            // Nobody answers: the countdown runs out, the window closes, the Guest is refused.
            guest = screenshot(host, "unanswered");
            window(x, home, "Confirm access", 2);
            r = guest.get(30, TimeUnit.SECONDS);
            assertEquals(REFUSED, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("nobody at the Host confirmed access within 8 s"), r.err());
            assertTrue(events(home).contains("\tHSECTMOUT\tSECURITY\t") && events(home).contains("\tCA\n"), events(home));
            closed(x, "the dialog closed when time ran out", "--name", "Confirm access");
        });
    }

    @Test
    void aFileOfferedToAHostWithoutSharesIsSavedWhereChosenAndNothingIsWrittenOnCancel() throws Exception {
        Path saved = Files.createDirectories(tmp.resolve("saved"));
        Path report = Files.writeString(tmp.resolve("report.txt"), "quarterly figures\n".repeat(1000));
        onDesktop("name = Helpdesk\nprivileges = view_screen, transfer_files\nconfirm.access = false\n", 1,
                Map.of("org.tandemrc.files.cfg", "offerFolder = " + saved + "\nofferSeconds = 60\n"), (x, host, home) -> {
                    CompletableFuture<NodeProcess.Result> sending = guest("send", host.tcpAddress(), report.toString());
                    String dialog = window(x, home, "Receive a file", 1);
                    shoot(x, dialog, "host-desktop-receive-file");
                    String asked = asked(home).get(0);
                    assertTrue(asked.contains("wants to send you a file") && asked.contains("Connects from: | 127.0.0.1:")
                            && asked.contains("Role: | Helpdesk") && asked.contains("copy files to and from this computer")
                            && asked.contains("offers the file report.txt (18,000 bytes)")
                            && asked.contains("| Save\u2026 | Cancel"), asked);
                    assertFalse(sending.isDone(), "the Guest waits for the person");
                    keys(x, dialog, "alt+s");
                    // The save dialog opens in the folder the Host proposes, the name filled in and selected: the
                    // person types another name over it, and Enter saves there.
                    String chooser = window(x, home, "Save the file from", 1);
                    shoot(x, chooser, "host-desktop-receive-file-save");
                    xdotool(x, "mousemove", "--window", chooser, "5", "5");
                    Thread.sleep(200);
                    xdotool(x, "type", "figures.txt");
                    xdotool(x, "key", "Return");
                    NodeProcess.Result r = sending.get(30, TimeUnit.SECONDS);
                    assertEquals(0, r.status(), r.out() + r.err());
                    assertTrue(r.out().contains("saved it"), r.out());
                    assertEquals(Files.readString(report), Files.readString(saved.resolve("figures.txt")));
                    String events = events(home);
                    assertTrue(events.contains("\tTACTFOFFR\t") && events.contains("\tTSECFOFFR\t")
                            && events.contains("\tTACTFRECV\t"), events);

                    // Cancel: the Guest is refused with status 7, and nothing more is written anywhere.
                    sending = guest("send", host.tcpAddress(), report.toString());
                    keys(x, window(x, home, "Receive a file", 2), "Escape");
                    r = sending.get(30, TimeUnit.SECONDS);
                    assertEquals(7, r.status(), r.out() + r.err());
                    assertTrue(r.err().contains("the person at the Host did not accept report.txt"), r.err());
                    try (var files = Files.list(saved)) {
                        assertEquals(List.of(saved.resolve("figures.txt")), files.toList());
                    }
                    assertTrue(events(home).contains("\tTSECFOFFR!\t"), events(home));
                });
    }

    @Test
    void disconnectInTheStatusWindowEndsTheGuestsConnection() throws Exception {
        onDesktop(0, (x, host, home) -> {
            CompletableFuture<NodeProcess.Result> watching = guest("watch", host.tcpAddress(), "60");
            String notice = window(x, home, "connected$", "notice on the desktop", 1);
            assertTrue(xdotool(x, "getwindowname", notice).matches("Tandem: .+@.+ connected"),
                    xdotool(x, "getwindowname", notice));
            shoot(x, notice, "host-desktop-notice");
            String status = window(x, home, "Connected Guests", "notice on the desktop", 1);
            Thread.sleep(1500); // the window follows the Host's list every second: the session shows as viewing
            shoot(x, status, "host-desktop-status");
            assertFalse(watching.isDone(), "the Guest still watches");
            keys(x, status, "alt+d");
            NodeProcess.Result r = watching.get(30, TimeUnit.SECONDS);
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("the person at the Host ended the connection"), r.err());
            String events = events(home);
            assertTrue(events.contains("\tTCONHNGUP\t") && events.contains("\tHSES-\t"), events);
            window(x, home, "left$", "notice on the desktop", 2);

            // Two Guests, Disconnect all: both end.
            List<CompletableFuture<NodeProcess.Result>> two = List.of(guest("watch", host.tcpAddress(), "60"),
                    guest("watch", host.tcpAddress(), "60"));
            long end = System.currentTimeMillis() + 20_000;
            while (logged(home, "notice on the desktop").size() < 4 && System.currentTimeMillis() < end) {
                Thread.sleep(100);
            }
            Thread.sleep(1500);
            keys(x, window(x, home, "Connected Guests", "notice on the desktop", 4), "alt+a");
            for (CompletableFuture<NodeProcess.Result> g : two) {
                r = g.get(30, TimeUnit.SECONDS);
                assertEquals(1, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("the person at the Host ended the connection"), r.err());
            }
            assertEquals(3, events(home).split("\tTCONHNGUP\t", -1).length - 1, events(home));
        });
    }

    @Test
    void stopOnTheControlBarTakesKeyboardAndMouseBack() throws Exception {
        onDesktop(0, (x, host, home) -> {
            try (TypingTarget.Running target = TypingTarget.start(x.display, tmp)) {
                // latency types a key, waits for the pixels, and again: it controls until it is stopped.
                CompletableFuture<NodeProcess.Result> typing = guest("latency", host.tcpAddress(), "10000");
                String bar = window(x, home, "controls this computer", "control bar on the desktop", 1);
                shoot(x, bar, "host-desktop-control-bar");
                assertFalse(typing.isDone(), "the Guest still types");
                // The bar never takes the keyboard: Stop is clicked, at the right end where the button is.
                String[] size = xdotool(x, "getwindowgeometry", "--shell", bar).lines()
                        .filter(l -> l.startsWith("WIDTH=") || l.startsWith("HEIGHT=")).map(l -> l.substring(l.indexOf('=') + 1))
                        .toArray(String[]::new);
                xdotool(x, "mousemove", "--window", bar, String.valueOf(Integer.parseInt(size[0]) - 40),
                        String.valueOf(Integer.parseInt(size[1]) / 2), "click", "1");
                NodeProcess.Result r = typing.get(30, TimeUnit.SECONDS);
                assertEquals(REFUSED, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("refused: the input channel closed: "
                        + "the person at the Host took back control of keyboard and mouse"), r.err());
                String events = events(home);
                assertTrue(events.contains("\tHACTKBDMS+\t") && events.contains("\tHACTKBDMS-\t"), events);
                closed(x, "the bar is gone", "--name", "controls this computer");
            }
        });
    }

    @Test
    void aRoleWithConfirmControlViewsAtOnceAndControlsOnlyOnceThePersonAgrees() throws Exception {
        onDesktop(ROLE + "false\nconfirm.control = true\n", 30, (x, host, home) -> {
            NodeProcess.Result r = NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, "screenshot", host.tcpAddress(),
                    "--out", tmp.resolve("viewed.png").toString()));
            assertEquals(0, r.status(), "viewing needs nobody's answer: " + r.out() + r.err());
            assertTrue(asked(home).isEmpty(), "nobody was asked to view: " + asked(home));
            r = NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, "connect", host.tcpAddress()));
            assertTrue(r.out().contains("control     keyboard and mouse once the person at the Host allows"), r.out());

            CompletableFuture<NodeProcess.Result> typing = guest("type", host.tcpAddress(), "given");
            String dialog = window(x, home, "Take control", 1);
            shoot(x, dialog, "host-desktop-take-control");
            String asked = asked(home).get(0);
            assertTrue(asked.contains("asks to use your keyboard and mouse") && asked.contains("Role: | Helpdesk")
                    && asked.contains("wants to use your keyboard and mouse"), asked);
            Thread.sleep(1000);
            assertFalse(typing.isDone(), "no keystroke reaches the Host before the person agrees");
            keys(x, dialog, "alt+a");
            r = typing.get(30, TimeUnit.SECONDS);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(events(home).contains("\tTSECCTRL\t"), events(home));

            typing = guest("type", host.tcpAddress(), "refused");
            keys(x, window(x, home, "Take control", 2), "Escape");
            r = typing.get(30, TimeUnit.SECONDS);
            assertEquals(REFUSED, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("the person at the Host did not give you control of keyboard and mouse"), r.err());
            assertTrue(events(home).contains("\tTSECCTRL!\t"), events(home));
        });
    }

    @Test
    void escAtTheHostsKeyboardEndsControlAtOnceButTheGuestsOwnEscDoesNot() throws Exception {
        onDesktop(0, (x, host, home) -> {
            try (TypingTarget.Running target = TypingTarget.start(x.display, tmp)) {
                NodeProcess.Result r = NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, "keys", host.tcpAddress(), "escape"));
                assertEquals(0, r.status(), "the Guest's own Esc is typed: " + r.out() + r.err());
                CompletableFuture<NodeProcess.Result> typing = guest("latency", host.tcpAddress(), "10000");
                long end = System.currentTimeMillis() + 20_000;
                while (events(home).split("\tHACTKBDMS\\+\t", -1).length < 3 && System.currentTimeMillis() < end) {
                    Thread.sleep(100);
                }
                Thread.sleep(1000);
                assertFalse(typing.isDone(), "the Guest's Esc took nothing back: " + events(home));
                java.time.Instant pressed = java.time.Instant.now();
                xdotool(x, "key", "Escape"); // not sent by the Guest: the person's
                r = typing.get(30, TimeUnit.SECONDS);
                assertEquals(REFUSED, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("refused: the input channel closed: the person at the Host pressed Esc"), r.err());
                String events = events(home);
                String revoked = events.lines().filter(l -> l.contains("\tHACTKBDMS-\t") && l.contains("pressed Esc"))
                        .findFirst().orElseThrow(() -> new AssertionError(events));
                long millis = java.time.Duration.between(pressed, java.time.Instant.parse(revoked.split("\t")[0])).toMillis();
                System.out.println("HostDesktopIT: control ended " + millis + " ms after Esc at the Host");
                assertTrue(millis < 200, "control ended " + millis + " ms after Esc");
                assertEquals(1, events.lines().filter(l -> l.contains("pressed Esc")).count(), events);
            }
        });
    }

    /**
     * The issue's first look: a new user runs {@code tandem start} on a desktop, opens its console (Chromium
     * on the same display) and connects to "This computer": the desktop asks to allow access, tells that a
     * Guest connected, asks again for keyboard and mouse and then shows the control bar.
     */
    @Test
    void aNewUserConnectingToThemselvesFromTheConsoleIsAskedOnTheirOwnDesktop() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        Path home = tmp.resolve("start");
        Path saved = Files.createDirectories(tmp.resolve("saved"));
        Path guestFiles = Files.createDirectories(tmp.resolve("guest-files"));
        Path report = Files.writeString(guestFiles.resolve("report.txt"), "from the console\n".repeat(500));
        // Offered files go to a folder of the test, not to the Downloads of whoever runs it.
        Homes.write(home, Map.of("org.tandemrc.files.cfg", "offerFolder = " + saved + "\nofferSeconds = 60\n"));
        Path dir = ConsoleIT.browserTest();
        int port = ConsoleIT.freePort();
        try (Xvfb x = Xvfb.start(1280, 800, fb);
                NodeProcess node = NodeProcess.start(Map.of("DISPLAY", x.display), "start", "--home", home.toString(),
                        "--http", "127.0.0.1:" + port, "--listen", "tcp:127.0.0.1:" + ConsoleIT.freePort())) {
            node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
            java.util.regex.Matcher setup = java.util.regex.Pattern.compile("setup\\s+(http://\\S+)").matcher(node.output());
            assertTrue(setup.find(), node.output());
            String config = "{\"setupUrl\":\"" + setup.group(1) + "\",\"consolePassword\":\"a good console password\","
                    + "\"chromium\":\"" + ConsoleIT.chromium() + "\",\"screenshots\":\""
                    + Files.createDirectories(SCREENSHOTS).toAbsolutePath() + "\",\"guestDir\":\"" + guestFiles
                    + "\",\"fileName\":\"report.txt\",\"fileBytes\":8500,\"share\":\"docs\"}";
            try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config, "DISPLAY", x.display),
                    dir, "node", "start-test.mjs")) {
                java.util.function.Consumer<String> step = name -> {
                    try {
                        String line = browser.awaitLine(l -> l.startsWith("STEP " + name) || l.startsWith("FAILED"), 90_000);
                        assertTrue(line.startsWith("STEP " + name), browser.output() + "\nnode:\n" + node.output());
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                };
                step.accept("asking-access");
                String dialog = window(x, home, "Confirm access", 1);
                String asked = asked(home).get(0);
                assertTrue(asked.contains("wants to connect to this computer") && asked.contains("Role: | Attended support"),
                        asked);
                screen(x, "start-confirm-access");
                keys(x, dialog, "alt+a");
                browser.type("go asking-access");

                step.accept("asking-control");
                window(x, home, " connected$", "notice on the desktop", 1);
                String control = window(x, home, "Take control", 2);
                assertTrue(asked(home).get(1).contains("asks to use your keyboard and mouse"), asked(home).get(1));
                keys(x, control, "alt+a");
                window(x, home, "controls this computer", "control bar on the desktop", 1);
                screen(x, "start-control-bar");
                browser.type("go asking-control");

                step.accept("controlling");
                String events = events(home);
                assertTrue(events.contains("\tSECCA\t") && events.contains("\tTSECCTRL\t"), events);
                browser.type("go controlling");
                xdotool(x, "key", "Escape"); // the person's own Esc
                step.accept("asking-again");
                keys(x, window(x, home, "Take control", 3), "Escape");
                browser.type("go asking-again");

                step.accept("offered");
                String offer = window(x, home, "Receive a file", 4);
                assertTrue(asked(home).get(3).contains("offers the file report.txt (8,500 bytes)"), asked(home).get(2));
                keys(x, offer, "alt+s");
                String chooser = window(x, home, "Save the file from", 4);
                xdotool(x, "mousemove", "--window", chooser, "5", "5");
                Thread.sleep(200);
                xdotool(x, "type", "from-console.txt");
                xdotool(x, "key", "Return");
                browser.type("go offered");
                step.accept("saved");
                assertEquals(Files.readString(report), Files.readString(saved.resolve("from-console.txt")));
                browser.type("go saved");

                step.accept("chat-by-host");
                // The console's window lies over it now: the person brings it to the front first (there is no window
                // manager on Xvfb to do it on the click).
                String status = window(x, home, "Connected Guests", "notice on the desktop", 1);
                xdotool(x, "windowraise", status);
                keys(x, status, "alt+h");
                String chat = window(x, home, "Chat with", "chat on the desktop", 1);
                keys(x, chat, "h");
                xdotool(x, "type", "--delay", "30", "ello from your desktop");
                xdotool(x, "key", "Return");
                browser.type("go chat-by-host");
                step.accept("chat-answered");
                long until = System.currentTimeMillis() + 10_000;
                String lines = copied(x, chat, 100, 100);
                while (!lines.contains(": hello from the console") && System.currentTimeMillis() < until) {
                    Thread.sleep(200);
                    lines = copied(x, chat, 100, 100);
                }
                assertTrue(lines.contains("You: hello from your desktop") && lines.contains(": hello from the console"),
                        lines);
                browser.type("go chat-answered");
                step.accept("share-added");
                Homes.write(home, Map.of("org.tandemrc.files.cfg", "offerFolder = " + saved + "\nofferSeconds = 60\nshares = docs="
                        + Files.createDirectories(tmp.resolve("docs")) + "\n"));
                browser.type("go share-added");
                step.accept("done");
                closed(x, "the bar left with the Guest", "--name", "controls this computer");
            }
        }
    }

    /** The whole screen as PNG, as the person sees it, into the test output under {@code name}. */
    private static void screen(Xvfb x, String name) throws Exception {
        shoot(x, "root", name);
    }
}
