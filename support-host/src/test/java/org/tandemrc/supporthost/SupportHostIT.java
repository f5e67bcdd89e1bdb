package org.tandemrc.supporthost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The temporary Host download as the person runs it: without Java (a PATH that has none, {@code env -i}),
 * in a mount namespace whose {@code /tmp} starts empty, with a HOME of its own; then what it leaves in
 * {@code /tmp} and HOME is compared with what was there before (only the X servers' sockets). Needs root
 * for the namespace, as the other end-to-end tests do; the Guest is the launcher distribution's.
 */
class SupportHostIT {

    private static final Path PACKAGE = Path.of(System.getProperty("support.host.file",
            "target/tandem-support-host-linux-x64.sh")).toAbsolutePath();
    private static final Path DIST = Path.of(System.getProperty("tandem.dist", "target/full/tandem")).toAbsolutePath();
    private static final Path CUSTOMER = Path.of("src/test/sh/customer.sh").toAbsolutePath();
    private static final String PASSWORD = "temporary host test password";
    private static final Pattern LISTENING = Pattern.compile("listening\\s+tcp:127\\.0\\.0\\.1:(\\d+)");
    /** What the person's /tmp and HOME hold when the temporary Host left nothing. */
    private static final String NOTHING_IN_TMP = "tmp: .X11-unix ";
    private static final String NOTHING_IN_HOME = "home: ";

    /**
     * Where the tests work and what the namespace runs: outside /tmp, which the namespace replaces. A build
     * under /tmp (a CI's clone, say) has its download and script copied to /var/tmp first.
     */
    private static Path base;
    private static Path download;
    private static Path customer;

    private Path work;
    private Path password;

    @org.junit.jupiter.api.BeforeAll
    static void outsideTmp() throws IOException {
        assertTrue(Files.isRegularFile(PACKAGE), PACKAGE + " was not built: its JDK needs jmods/ for jlink"
                + " (Debian: apt-get install openjdk-17-jdk-headless; .ci/run does)");
        Path target = Path.of("target").toAbsolutePath();
        base = target.startsWith("/tmp") ? Files.createDirectories(Path.of("/var/tmp/tandem-support-host-it"))
                : target.resolve("it");
        download = PACKAGE;
        customer = CUSTOMER;
        if (PACKAGE.startsWith("/tmp")) {
            download = Files.copy(PACKAGE, base.resolve(PACKAGE.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            customer = Files.copy(CUSTOMER, base.resolve(CUSTOMER.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void leaveNothingInVarTmp() throws IOException {
        if (base != null && base.startsWith("/var/tmp")) {
            try (Stream<Path> walk = Files.walk(base)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void work(TestInfo test) throws IOException {
        // Not under /tmp: the person's /tmp is replaced in the namespace.
        String name = test.getTestMethod().orElseThrow().getName();
        if (!test.getDisplayName().startsWith(name)) {
            name += "-" + test.getDisplayName().replaceAll("[^A-Za-z0-9]+", "");
        }
        work = base.resolve(name);
        assertFalse(work.startsWith("/tmp") || download.startsWith("/tmp"), "nothing the namespace runs under /tmp");
        if (Files.exists(work)) {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work);
        password = Files.writeString(work.resolve("host-password"), PASSWORD + "\n");
    }

    /** Under the Support role the person allows access, then control; SIGTERM then ends it all. */
    @Test
    void thePersonAllowsAccessThenControlAndSigtermLeavesNothing() throws Exception {
        try (Xvfb x = Xvfb.start(1024, 768, Files.createDirectories(work.resolve("fb")));
                Customer person = new Customer("as_person 'command -v java' && echo 'java found';"
                        + " temporary_host --listen tcp:127.0.0.1:0 --password-file " + password + "; echo \"status $?\"",
                        Map.of("DISPLAY", x.display))) {
            long start = System.nanoTime();
            int port = person.port();
            long listening = System.nanoTime();
            assertFalse(person.output().contains("java found"), person.output());
            assertTrue(person.output().contains("unpacking into /tmp/tandem-support-host."), person.output());
            CompletableFuture<Integer> guest = guest(password, "type", "tcp:127.0.0.1:" + port, "never typed");
            String access = awaitWindow(x, "Confirm access");
            long dialog = System.nanoTime();
            System.out.printf("temporary Host: listening %d ms, Confirm access on the screen %d ms after the start%n",
                    TimeUnit.NANOSECONDS.toMillis(listening - start), TimeUnit.NANOSECONDS.toMillis(dialog - start));
            xdotool(x, "mousemove", "--window", access, "30", "20", "click", "1");
            Thread.sleep(200);
            xdotool(x, "key", "alt+a");
            awaitWindow(x, "Take control");
            assertFalse(guest.isDone(), "nothing is typed before the person gives control");

            person.signal("TERM");
            person.awaitExit();
            assertTrue(person.output().contains("\nstatus "), person.output());
            assertNotEquals(0, (int) guest.get(60, TimeUnit.SECONDS), "the Guest never got control");
            person.assertLeftNothing();
        }
    }

    /**
     * What the terminal sends (Ctrl+C, Ctrl+\\, closing it), with the user's runtime folder set (where it
     * then unpacks); and a font cache Java had made in HOME before is not the temporary Host's to delete.
     */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "QUIT", "HUP"})
    void aSignalFromTheTerminalLeavesNothing(String signal) throws Exception {
        // An empty tmpfs there inside the namespace (customer.sh); a path as short as /run/user/UID.
        Path runtimeDir = Path.of("/mnt");
        String fonts = "\"$work/home/.java/fonts/" + javaVersion() + "\"";
        String scenario = String.join("\n",
                "mkdir -p " + fonts + " && echo earlier > " + fonts + "/fcinfo-earlier.properties",
                "temporary_host --listen tcp:127.0.0.1:0 --password-file " + password + "; echo \"status $?\"",
                "[ -f " + fonts + "/fcinfo-earlier.properties ] && echo 'the earlier font cache is kept'",
                "rm -r \"$work/home/.java\"");
        try (Customer person = new Customer(scenario, Map.of("XDG_RUNTIME_DIR", runtimeDir.toString()))) {
            person.port();
            person.signal(signal);
            person.awaitExit();
            String out = person.output();
            assertTrue(out.contains("unpacking into " + runtimeDir + "/tandem-support-host."), out);
            assertTrue(out.contains("\nstatus "), out);
            assertTrue(out.contains("the earlier font cache is kept"), out);
            assertTrue(out.lines().anyMatch("runtime dir: "::equals), out);
            person.assertLeftNothing();
        }
    }

    /**
     * A support session on a real WebConnect manager with its relay: the person starts the download with
     * the manager's address, the window asks for the code; a wrong code shows the manager's refusal and the
     * window stays; the right one joins and names the supporter; End support ends the session at the
     * manager and the temporary Host exits, leaving nothing.
     */
    @Test
    void thePersonTypesTheCodeSeesTheSupporterAndEndSupportLeavesNothing() throws Exception {
        try (Desk desk = new Desk()) {
            long start = System.nanoTime();
            try (Customer person = new Customer("temporary_host --manager " + desk.manager.address
                    + "; echo \"status $?\"", Map.of("DISPLAY", desk.x.display))) {
                String window = awaitWindow(desk.x, "Tandem remote support");
                System.out.printf("temporary Host: the code window on the screen %d ms after the start%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                screenshot(desk.x, "code-window");
                typeCode(desk.x, window, "000 000 000");
                person.await("TWCSUP! ");
                assertTrue(person.output().contains("was not accepted: The support code is not valid"), person.output());
                Thread.sleep(500); // the line is printed just before the window shows the refusal
                screenshot(desk.x, "wrong-code");
                assertEquals(window, awaitWindow(desk.x, "Tandem remote support"), "the window stays for another try");

                String code = desk.code;
                typeCode(desk.x, window, code.substring(0, 3) + " " + code.substring(3, 6) + " " + code.substring(6));
                person.await("TWCSUP+ Sam Supporter: joined the support session of Sam Supporter (account 'acme')");
                Thread.sleep(300);
                screenshot(desk.x, "joined");
                xdotool(desk.x, "key", "alt+e");
                String out = person.awaitCleanExit();
                assertTrue(out.contains("TWCSUP* Sam Supporter: support session ended by the person at this Host"), out);
                assertTrue(out.contains("nothing of the temporary Host is left on this computer"), out);
            }
            desk.manager.awaitLog("support session ended (code ending " + desk.code.substring(6)
                    + ") by the person at the temporary Host");
        }
    }

    /** The supporter's End session now (here the administrator's): the Host says so and removes itself, without dialling again. */
    @Test
    void theSupporterEndingItMakesTheTemporaryHostExitAndCleanUp() throws Exception {
        try (Desk desk = new Desk()) {
            try (Customer person = joinedOnDesktop(desk.manager, desk.x, desk.code)) {
                desk.manager.admin("webconnect", "support", "end", "acme", desk.code);
                String out = person.awaitCleanExit();
                assertTrue(out.contains("support session ended by "), out);
            }
        }
    }

    /**
     * The supporter's Guest logs on with the code (the temporary Host's shared password) and asks to see
     * the screen; the person's Deny to that first request ends the session, at the manager too, and the
     * temporary Host removes itself.
     */
    @Test
    void refusingTheSupportersFirstRequestEndsTheSessionAndLeavesNothing() throws Exception {
        try (Desk desk = new Desk()) {
            try (Customer person = joinedOnDesktop(desk.manager, desk.x, desk.code)) {
                Path guestEtc = Files.createDirectories(work.resolve("guest-home/etc"));
                Files.writeString(guestEtc.resolve("org.tandemrc.profile-wc.cfg"), "device = webconnect\nmanager = "
                        + desk.manager.address + "\naccount = acme\npassword-file = " + desk.manager.accountPassword
                        + "\n");
                CompletableFuture<Integer> guest = guest(Files.writeString(work.resolve("code"), desk.code + "\n"), "type",
                        "webconnect:support:" + desk.code, "never typed");
                String access = awaitWindow(desk.x, "Confirm access", () -> "the Guest said:\n" + said(work.resolve("guest.out"))
                        + "\nthe person's temporary Host said:\n" + person.output());
                xdotool(desk.x, "mousemove", "--window", access, "30", "20", "click", "1");
                Thread.sleep(200);
                xdotool(desk.x, "key", "alt+d");
                person.await("SECCA! ");
                String out = person.awaitCleanExit();
                assertTrue(out.contains("TWCSUP* Sam Supporter: support session ended by the person at this Host"), out);
                assertNotEquals(0, (int) guest.get(60, TimeUnit.SECONDS), "the Guest typed");
            }
            desk.manager.awaitLog("support session ended (code ending " + desk.code.substring(6)
                    + ") by the person at the temporary Host");
        }
    }

    /**
     * Guessing the code: each wrong one gets the manager's one refusal; after the budget of the person's
     * address (the logon limits) even the right code is refused from there, so guessing stops paying.
     */
    @Test
    void repeatedWrongCodesAreThrottledAtTheManager() throws Exception {
        try (Desk desk = new Desk();
                Customer person = new Customer("temporary_host --manager " + desk.manager.address
                        + "; echo \"status $?\"", Map.of("DISPLAY", desk.x.display))) {
            String window = awaitWindow(desk.x, "Tandem remote support");
            String wrong = desk.code.equals("123456789") ? "987 654 321" : "123 456 789";
            String first = null;
            String limited = null;
            for (int i = 1; i <= 12 && limited == null; i++) {
                typeCode(desk.x, window, wrong);
                String said = person.awaitCount("TWCSUP! ", i);
                if (first == null) {
                    first = said;
                    assertTrue(said.contains("The support code is not valid"), said);
                } else if (!said.substring(said.indexOf("TWCSUP! ")).equals(first.substring(first.indexOf("TWCSUP! ")))) {
                    limited = said;
                    assertTrue(i <= 11, "throttled only after " + i + " guesses");
                }
            }
            assertTrue(limited != null && limited.contains("too many logon attempts"), "never throttled:\n" + person.output());
            screenshot(desk.x, "throttled");
            String code = desk.code;
            typeCode(desk.x, window, code.substring(0, 3) + " " + code.substring(3, 6) + " " + code.substring(6));
            int refusals = (int) person.output().lines().filter(l -> l.contains("TWCSUP! ")).count();
            String right = person.awaitCount("TWCSUP! ", refusals + 1);
            assertTrue(right.contains("too many logon attempts"), "the right code from a throttled address: " + right);
            assertFalse(person.output().contains("TWCSUP+ "), "joined although throttled:\n" + person.output());
        }
    }

    /** A session whose lifetime (here one minute) runs out ends, and the temporary Host removes itself. */
    @Test
    void theEndOfTheLifetimeEndsTheSessionAndLeavesNothing() throws Exception {
        try (Manager manager = new Manager()) {
            Matcher m = Pattern.compile("support-code = (\\d{9})").matcher(manager.admin("webconnect", "support", "new",
                    "acme", "--supporter", "Kim Quick", "--lifetime-minutes", "1"));
            assertTrue(m.find());
            try (Customer person = new Customer("temporary_host --manager " + manager.address + " --code " + m.group(1)
                    + " < /dev/null; echo \"status $?\"", Map.of())) {
                person.await("Kim Quick (account acme) can now ask to see your screen");
                long joined = System.currentTimeMillis();
                String out = person.awaitCleanExit(180);
                System.out.printf("temporary Host: the session's one-minute lifetime ended it %d s after the join%n",
                        (System.currentTimeMillis() - joined) / 1000);
                assertTrue(System.currentTimeMillis() - joined > 50_000, "ended before its lifetime:\n" + out);
                assertTrue(out.contains("TWCSUP* "), out);
                assertTrue(out.contains("nothing of the temporary Host is left on this computer"), out);
            }
        }
    }

    /**
     * The download as the page serves it (Contract B: its preset line holds the code and the manager): it
     * joins without asking; here without a desktop, so on the terminal. The supporter's end makes it exit.
     */
    @Test
    void thePagesPresetJoinsWithoutAsking() throws Exception {
        try (Manager manager = new Manager()) {
            String code = manager.newSession("Sam Supporter");
            String scenario = String.join("\n",
                    "sed \"s/^preset=''\\$/preset='code=" + code + ";manager=" + manager.address + "'/\" \"$package\" > \"$work/preset.sh\"",
                    "cmp -s \"$package\" \"$work/preset.sh\" && echo 'no preset line'",
                    "(package=$work/preset.sh; temporary_host < /dev/null); echo \"status $?\"");
            try (Customer person = new Customer(scenario, Map.of())) {
                person.await("Sam Supporter (account acme) can now ask to see your screen");
                assertFalse(person.output().contains("Type the 9-digit code"), person.output());
                manager.admin("webconnect", "support", "end", "acme", code);
                String out = person.awaitCleanExit();
                assertFalse(out.contains("no preset line"), out);
                assertTrue(out.contains("The support session was ended by the manager's administrator."), out);
            }
        }
    }

    /** --help, a wrong option or code and a preset line that is not the page's end it before anything is unpacked. */
    @Test
    void helpAndWrongOptionsAndAForgedPresetLeaveNothing() throws Exception {
        String scenario = String.join("\n",
                "temporary_host --help > \"$work/help.out\"; echo \"help $?\"",
                "grep -q 'What it leaves behind: nothing' \"$work/help.out\" && echo 'help says what it leaves'",
                "temporary_host --code 12345 --manager 127.0.0.1:1; echo \"short code $?\"",
                "temporary_host --code 123456789 --listen tcp:127.0.0.1:0; echo \"mixed $?\"",
                "sed \"s/^preset=''\\$/preset='manager=\\$(id)'/\" \"$package\" > \"$work/forged.sh\"",
                "(package=$work/forged.sh; temporary_host); echo \"forged $?\"");
        try (Customer person = new Customer(scenario, Map.of())) {
            assertEquals(0, person.awaitExit(), person.output());
            String out = person.output();
            List<String> lines = out.lines().toList();
            assertTrue(lines.contains("help 0") && lines.contains("help says what it leaves"), out);
            assertTrue(out.contains("the code has 9 digits") && lines.contains("short code 2"), out);
            assertTrue(out.contains("unknown option --listen") && lines.contains("mixed 2"), out);
            assertTrue(out.contains("the download's preset is damaged") && lines.contains("forged 2"), out);
            assertFalse(out.contains("unpacking into"), out);
            person.assertLeftNothing();
        }
    }

    /** Without a desktop the terminal asks for the code; Ctrl+C is End support, at the manager too. */
    @Test
    void withoutADesktopTheTerminalAsksAndCtrlCEndsTheSession() throws Exception {
        try (Manager manager = new Manager()) {
            String code = manager.newSession("Sam Supporter");
            try (Customer person = new Customer("echo '" + code + "' | temporary_host --manager " + manager.address
                    + "; echo \"status $?\"", Map.of())) {
                person.await("Type the 9-digit code your supporter gave you");
                person.await("Sam Supporter (account acme) can now ask to see your screen");
                person.signal("INT");
                person.awaitExit();
                person.assertLeftNothing();
            }
            manager.awaitLog("support session ended (code ending " + code.substring(6) + ") by the person at the temporary Host");
        }
    }

    /**
     * The temporary Host started with the session's {@code code} and the manager on the desktop of
     * {@code x}, Connect pressed (the code is filled in), once it joined.
     */
    private Customer joinedOnDesktop(Manager manager, Xvfb x, String code) throws Exception {
        Customer person = new Customer("temporary_host --code '" + code + "' --manager " + manager.address
                + "; echo \"status $?\"", Map.of("DISPLAY", x.display));
        try {
            focusCode(x, awaitWindow(x, "Tandem remote support"));
            xdotool(x, "key", "alt+c");
            person.await("TWCSUP+ Sam Supporter: joined");
            return person;
        } catch (Exception | AssertionError e) {
            person.close();
            throw e;
        }
    }

    /** Types {@code code} into the code window's field (replacing what is there) and presses Enter (Connect). */
    private static void typeCode(Xvfb x, String window, String code) throws Exception {
        focusCode(x, window);
        xdotool(x, "key", "ctrl+a");
        xdotool(x, "type", "--delay", "20", code);
        xdotool(x, "key", "Return");
    }

    /**
     * A click into the code field: without a window manager the window gets the keyboard's focus so, and
     * Java ignores keys sent to a window (xdotool's --window) rather than typed.
     */
    private static void focusCode(Xvfb x, String window) throws Exception {
        xdotool(x, "mousemove", "--window", window, "150", "98", "click", "1");
        Thread.sleep(200);
    }

    /** The whole screen as {@code target/it/TEST/NAME.png}, to look at. */
    private void screenshot(Xvfb x, String name) throws Exception {
        Process p = x.client("import", "-window", "root", work.resolve(name + ".png").toString());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "import failed");
    }

    /** What the tests on the person's desktop start with: a manager, a session of Sam Supporter, a screen. */
    private final class Desk implements AutoCloseable {

        final Manager manager;
        final Xvfb x;
        final String code;

        Desk() throws Exception {
            manager = new Manager();
            Xvfb screen = null;
            try {
                screen = Xvfb.start(1024, 768, Files.createDirectories(work.resolve("fb")));
                code = manager.newSession("Sam Supporter");
            } catch (Exception | AssertionError e) {
                if (screen != null) {
                    screen.close();
                }
                manager.close();
                throw e;
            }
            x = screen;
        }

        @Override
        public void close() throws InterruptedException {
            try {
                x.close();
            } finally {
                manager.close();
            }
        }
    }

    /**
     * A WebConnect manager with its relay on loopback, as a node of the launcher's distribution, with the
     * account acme; the person's namespace shares the network.
     */
    private final class Manager implements AutoCloseable {

        final String address;
        final Path accountPassword;
        /** Short: its admin socket's path must fit a Unix socket's 107 bytes. */
        private final Path home = Files.createTempDirectory(Path.of("/var/tmp"), "tandem-wcm");
        private final Process process;

        Manager() throws Exception {
            int port = freePort();
            address = "127.0.0.1:" + port;
            ProcessBuilder pb = new ProcessBuilder(DIST.resolve("bin/tandem").toString(), "webconnect", "manager",
                    "--listen", address, "--relay-listen", "127.0.0.1:" + freePort(), "--home", home.toString())
                    .redirectErrorStream(true).redirectOutput(work.resolve("manager.out").toFile());
            pb.environment().remove("DISPLAY");
            pb.environment().remove("TANDEM_HOME");
            process = pb.start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(work.resolve("manager.out")).contains("Stop with Ctrl+C")) {
                assertTrue(process.isAlive() && System.currentTimeMillis() < deadline,
                        "the manager did not start:\n" + Files.readString(work.resolve("manager.out")));
                Thread.sleep(50);
            }
            accountPassword = Files.writeString(work.resolve("account-pw"), "acme account password\n");
            admin("webconnect", "account", "add", "acme", "--password-file", accountPassword.toString());
        }

        /** A new support session of acme; its code. */
        String newSession(String supporter) throws Exception {
            Matcher m = Pattern.compile("support-code = (\\d{9})").matcher(admin("webconnect", "support", "new", "acme",
                    "--supporter", supporter));
            assertTrue(m.find());
            return m.group(1);
        }

        String admin(String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/tandem").toString(), "admin", "--home",
                    home.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().remove("DISPLAY");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            return out;
        }

        /** Waits for the manager's log to hold {@code text}. */
        void awaitLog(String text) throws Exception {
            Path log = home.resolve("data/log/tandem.log");
            long deadline = System.currentTimeMillis() + 15_000;
            while (!(Files.exists(log) && Files.readString(log).contains(text))) {
                assertTrue(System.currentTimeMillis() < deadline, "no '" + text + "' in the manager's log");
                Thread.sleep(100);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            try (Stream<Path> walk = Files.walk(home)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The version of the download's Java, as its script knows it. */
    private static String javaVersion() throws IOException {
        try (Stream<String> lines = Files.lines(PACKAGE, StandardCharsets.ISO_8859_1)) {
            return lines.limit(40).filter(l -> l.startsWith("java_version=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no java_version= in " + PACKAGE)).substring(13);
        }
    }

    @Test
    void aHostThatCannotStartOrADamagedDownloadLeavesNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Customer person = new Customer(String.join("\n",
                        "temporary_host --listen tcp:127.0.0.1:" + taken.getLocalPort() + " --password-file " + password,
                        "echo \"status $?\"",
                        "head -c $(($(wc -c < \"$package\") - 100000)) \"$package\" > \"$work/damaged.sh\"",
                        "(package=$work/damaged.sh; temporary_host)",
                        "echo \"damaged status $?\""), Map.of())) {
            assertEquals(0, person.awaitExit(), person.output());
            assertTrue(person.output().contains("\nstatus 1\n"), person.output());
            assertTrue(person.output().contains("the download is damaged"), person.output());
            assertTrue(person.output().contains("\ndamaged status 1\n"), person.output());
            person.assertLeftNothing();
        }
    }

    /**
     * SIGKILL leaves the folder (nothing can clean up after it); the next start deletes it once none of
     * its processes runs, and never a folder that is not certainly its own: one without the mark, a link
     * named like one, another user's.
     */
    @Test
    void theNextStartDeletesWhatAKilledOneLeft() throws Exception {
        String scenario = String.join("\n",
                "temporary_host --listen tcp:127.0.0.1:0 --password-file " + password + " > '" + work + "/first.out' 2>&1 &",
                "await '" + work + "/first.out' listening || exit 1",
                "first=$(ls -d /tmp/tandem-support-host.*)",
                "java=$(sed -n 's/^java \\([0-9]*\\) .*/\\1/p' \"$first/.tandem-support-host\")",
                "script=$(sed -n 's/^script \\([0-9]*\\) .*/\\1/p' \"$first/.tandem-support-host\")",
                "kill -KILL \"$script\"; wait",
                "mkdir /tmp/tandem-support-host.nomark",
                "mkdir '" + work + "/victim' && touch '" + work + "/victim/.tandem-support-host'",
                "ln -s '" + work + "/victim' /tmp/tandem-support-host.link",
                "mkdir /tmp/tandem-support-host.other && echo 'script 1 1' > /tmp/tandem-support-host.other/.tandem-support-host",
                "chown -R nobody /tmp/tandem-support-host.other",
                "temporary_host --no-such-option > /dev/null 2>&1",
                "[ -d \"$first\" ] && echo 'kept while its Host runs'",
                "kill -KILL \"$java\"; while kill -0 \"$java\" 2>/dev/null; do sleep 0.1; done",
                "temporary_host --no-such-option 2>&1 | grep 'left by an earlier run'",
                "[ -d \"$first\" ] || echo 'deleted once its Host was gone'",
                "[ -f '" + work + "/victim/.tandem-support-host' ] && echo 'the link target is untouched'",
                "rm -r /tmp/tandem-support-host.nomark /tmp/tandem-support-host.other /tmp/tandem-support-host.link");
        try (Customer person = new Customer(scenario, Map.of())) {
            assertEquals(0, person.awaitExit(), person.output());
            String out = person.output();
            assertTrue(out.contains("kept while its Host runs"), out);
            assertTrue(out.contains("deleted once its Host was gone"), out);
            assertTrue(out.contains("the link target is untouched"), out);
            person.assertLeftNothing();
        }
    }

    /**
     * {@code tandem guest ARGS} of the launcher's distribution with the Host's password in {@code password},
     * in the background; its exit status.
     */
    private CompletableFuture<Integer> guest(Path password, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/tandem").toString(), "guest"));
        command.addAll(List.of(args));
        command.addAll(List.of("--password-file", password.toString(), "--home", work.resolve("guest-home").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("guest.out").toFile());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("TANDEM_HOME");
        Process p = pb.start();
        return p.onExit().thenApply(Process::exitValue);
    }

    /** The id of the first window named {@code name}, once there is one. */
    private static String awaitWindow(Xvfb x, String name) throws Exception {
        return awaitWindow(x, name, () -> "");
    }

    /** What a process wrote to {@code file}, or why that cannot be read. */
    private static String said(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** {@link #awaitWindow(Xvfb, String)}, whose failure also tells what {@code context} gives then. */
    private static String awaitWindow(Xvfb x, String name, IoSupplier context) throws Exception {
        long end = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < end) {
            String found = xdotool(x, "search", "--name", name);
            if (!found.isEmpty()) {
                return found.split("\\s+")[0];
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no window named '" + name + "' appeared within 30 s\n" + context.get());
    }

    /** What xdotool printed (Xvfb's client keeps it in xdotool.log), or nothing when it failed. */
    private static String xdotool(Xvfb x, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("xdotool"));
        command.addAll(List.of(args));
        Process p = x.client(command.toArray(String[]::new));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "xdotool " + String.join(" ", args) + " hangs");
        return p.exitValue() == 0 ? Files.readString(x.fbdir.resolve("xdotool.log")).trim() : "";
    }

    /** customer.sh running a scenario in a mount namespace of its own; its output goes to {@code customer.out}. */
    private final class Customer implements AutoCloseable {

        private final Process process;
        private final Path out = work.resolve("customer.out");

        Customer(String scenario, Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh",
                    customer.toString(), work.toString(), download.toString(), scenario)
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().remove("DISPLAY");
            pb.environment().putAll(env);
            process = pb.start();
        }

        /** The loopback port the temporary Host listens on, once it says so. */
        int port() throws InterruptedException, IOException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                Matcher m = LISTENING.matcher(output());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new AssertionError("the temporary Host does not listen:\n" + output());
                }
                Thread.sleep(20);
            }
        }

        /** Sends SIG to the temporary Host's script (not its Java): what Ctrl+C or a logout does. */
        void signal(String sig) throws IOException, InterruptedException {
            Predicate<ProcessHandle> script = h -> h.info().arguments()
                    .map(a -> a.length > 0 && a[0].equals(download.toString())).orElse(false);
            Optional<ProcessHandle> found = process.descendants().filter(script).findFirst();
            assertTrue(found.isPresent(), "no temporary Host runs:\n" + output());
            // The shell's own kill: ProcessHandle sends SIGTERM and SIGKILL only.
            Process kill = new ProcessBuilder("sh", "-c", "kill -" + sig + " " + found.get().pid()).start();
            assertEquals(0, kill.waitFor());
        }

        /** Waits up to 60 s for the output to hold {@code text}. */
        void await(String text) throws InterruptedException, IOException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!output().contains(text)) {
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new AssertionError("no '" + text + "' from the temporary Host:\n" + output());
                }
                Thread.sleep(50);
            }
        }

        /** Waits for the {@code n}th line holding {@code text}; returns that line. */
        String awaitCount(String text, int n) throws InterruptedException, IOException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                List<String> lines = output().lines().filter(l -> l.contains(text)).toList();
                if (lines.size() >= n) {
                    return lines.get(n - 1);
                }
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new AssertionError("no " + n + " lines with '" + text + "' from the temporary Host:\n" + output());
                }
                Thread.sleep(50);
            }
        }

        /** Waits for the scenario's end: the temporary Host ended with status 0 and left nothing; its output. */
        String awaitCleanExit() throws InterruptedException, IOException {
            return awaitCleanExit(60);
        }

        /** As {@link #awaitCleanExit()}, waiting up to {@code seconds}. */
        String awaitCleanExit(int seconds) throws InterruptedException, IOException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError("still running after " + seconds + " s:\n" + output());
            }
            String out = output();
            assertTrue(out.lines().anyMatch("status 0"::equals), out);
            assertLeftNothing();
            return out;
        }

        int awaitExit() throws InterruptedException, IOException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("still running after 60 s:\n" + output());
            }
            return process.exitValue();
        }

        /** Nothing in /tmp but what was there (the X sockets), its own folder gone, nothing in HOME. */
        void assertLeftNothing() throws IOException {
            String out = output();
            assertTrue(out.lines().anyMatch(NOTHING_IN_TMP::equals), "/tmp holds more than before:\n" + out);
            assertTrue(out.lines().anyMatch(NOTHING_IN_HOME::equals), "HOME holds something:\n" + out);
        }

        String output() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Text for a failure message, which may need to read a file. */
    @FunctionalInterface
    private interface IoSupplier {
        String get() throws IOException;
    }
}
