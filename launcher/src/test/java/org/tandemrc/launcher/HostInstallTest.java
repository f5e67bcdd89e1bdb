package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem host install} and {@code uninstall}, run as the {@code tandem} command in a process of its
 * own (the autostart folder comes from the environment), with a distribution and a home whose paths hold
 * what a shell, a desktop launcher or systemd would read as syntax. A real launcher (GLib's {@code gio
 * launch}) starts the entry and a fake {@code bin/tandem} records the arguments it received; systemd's own
 * {@code systemd-analyze verify} reads the unit.
 */
class HostInstallTest {

    /** Every character a launcher, a shell or systemd treats specially, and a space. */
    private static final String NASTY = "a b;c $HOME %h `id` \"q\" 'r' \\n |&<>*?#()~=";

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    /** A distribution whose bin/tandem writes its arguments, NUL-terminated, to $TANDEM_TEST_ARGS. */
    private Path dist(String name) throws IOException {
        Path dist = dir.resolve(name);
        Files.createDirectories(dist.resolve("system"));
        Files.createDirectories(dist.resolve("features"));
        Path tandem = dist.resolve("bin").resolve("tandem");
        Files.createDirectories(tandem.getParent());
        Files.writeString(tandem, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$TANDEM_TEST_ARGS\"\n");
        assertTrue(tandem.toFile().setExecutable(true));
        return dist;
    }

    private Run tandem(Path dist, String... args) throws Exception {
        return tandem(List.of(), dist, args);
    }

    /** {@code tandem ARGS} with this distribution, run through {@code prefix} (e.g. as another user). */
    private Run tandem(List<String> prefix, Path dist, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dtandem.dist=" + dist, Main.class.getName()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        pb.environment().remove("TANDEM_HOME");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tandem did not finish");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path autostart() {
        return dir.resolve("config").resolve("autostart").resolve("tandem-host.desktop");
    }

    @Test
    void aPathWithANewlineIsRefusedAndNothingIsWritten() throws Exception {
        Path dist = dist("dist");
        String home = dir.resolve("home\nExec=/bin/sh -c evil").toString();
        Run r = tandem(dist, "--home", home, "host", "install");
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("control character"), r.err());
        assertFalse(Files.exists(autostart().getParent()), "nothing written");
        Path units = dir.resolve("units");
        r = tandem(dist, "--home", home, "host", "install", "--system", "--unit-dir", units.toString(), "--user", "x");
        assertEquals(2, r.status(), r.out() + r.err());
        assertFalse(Files.exists(units), "nothing written");
    }

    @Test
    void theAutostartEntryStartsTheHostWithItsPathsIntactThroughARealLauncher() throws Exception {
        // GLib does not load an entry whose program path has a %, so the distribution's path has the rest.
        Path dist = dist("dist " + NASTY.replace("%", ""));
        Path home = dir.resolve("home " + NASTY);
        Run r = tandem(dist, "--home", home.toString(), "host", "install");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("wrote " + autostart() + ": "), r.out());
        assertTrue(r.out().contains("next: "), r.out());
        String entry = Files.readString(autostart());
        assertEquals(9, entry.lines().count(), "one line per key, nothing split: " + entry);

        Path args = dir.resolve("args");
        ProcessBuilder gio = new ProcessBuilder("gio", "launch", autostart().toString()).redirectErrorStream(true);
        gio.environment().put("TANDEM_TEST_ARGS", args.toString());
        Process p = gio.start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "gio launch: " + said);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(Files.exists(args) && Files.readString(args).endsWith("host\0")) && System.nanoTime() < deadline) {
            Thread.sleep(50); // gio spawns the program and returns
        }
        assertEquals(List.of("--home", home.toString(), "host"),
                Arrays.asList(Files.readString(args).split("\0")), "the arguments bin/tandem received");
    }

    @Test
    void exitQuotesEveryWordForTheLauncherAndThenAsAString() throws Exception {
        String entry = HostInstall.desktopEntry(List.of("/d/t", "--home", "/h o\"`$\\%"));
        assertTrue(entry.contains("\nExec=\"/d/t\" \"--home\" \"/h o\\\\\"\\\\`\\\\$\\\\\\\\%%\"\n"), entry);
        IOException e = assertThrows(IOException.class, () -> HostInstall.desktopEntry(List.of("/d%h/t", "host")));
        assertTrue(e.getMessage().contains("% in it"), e.getMessage());
    }

    @Test
    void theSystemUnitPassesSystemdAnalyzeVerify() throws Exception {
        // systemd itself refuses \ " ' in a program's path, so the distribution's path has the rest.
        Path dist = dist("dist a b;c $HOME %h `id` |&<>*?#()~=");
        Path home = dir.resolve("home " + NASTY);
        Path units = dir.resolve("units");
        Run r = tandem(dist, "--home", home.toString(), "host", "install", "--system",
                "--unit-dir", units.toString(), "--user", "tandem", "--display", ":0");
        assertEquals(0, r.status(), r.out() + r.err());
        Path unit = units.resolve("tandem-host.service");
        assertTrue(r.out().contains("wrote " + unit + ": the Host starts with the machine as tandem"), r.out());
        assertTrue(r.out().contains("next: systemctl daemon-reload && systemctl enable --now tandem-host.service"),
                r.out());
        String text = Files.readString(unit);
        String program = dist.resolve("bin").resolve("tandem").toString().replace("%", "%%");
        String expected = "ExecStart=\"" + program + "\" \"--home\" \"" + dir + "/home a b;c $$HOME %%h `id` \\\"q\\\""
                + " 'r' \\\\n |&<>*?#()~=\" \"host\"\n";
        assertTrue(text.contains("\n" + expected), expected + " in\n" + text);
        assertTrue(text.contains("\nUser=tandem\n") && text.contains("\nEnvironment=\"DISPLAY=:0\"\n"), text);

        String verified = verify(unit);
        assertFalse(verified.contains("is not executable") || verified.contains("rror"), verified);

        // The check can fail: a % left single makes systemd read a specifier and miss the program.
        Path wrong = dir.resolve("wrong").resolve("tandem-host.service");
        Files.createDirectories(wrong.getParent());
        Files.writeString(wrong, text.replace(program, program.replace("%%", "%")));
        assertTrue(verify(wrong).contains("is not executable"), "systemd-analyze saw no difference");
    }

    /** What {@code systemd-analyze verify} says about {@code unit}; fails unless it accepts it. */
    private static String verify(Path unit) throws Exception {
        Process p = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return "status " + p.exitValue() + ": " + said;
    }

    @Test
    void systemdCannotStartAProgramWithAQuoteInItsPath() throws Exception {
        Path dist = dist("dist \"q\"");
        Run r = tandem(dist, "host", "install", "--system", "--unit-dir", dir.resolve("units").toString(),
                "--user", "tandem");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("systemd does not start a program whose path has"), r.err());
        assertFalse(Files.exists(dir.resolve("units")));
    }

    @Test
    void uninstallRemovesOnlyWhatInstallWroteUnchanged() throws Exception {
        Path dist = dist("dist");
        String home = dir.resolve("home").toString();
        Files.createDirectories(autostart().getParent());
        String theirs = "[Desktop Entry]\nType=Application\nName=Someone else's\nExec=/usr/bin/true\n";
        Files.writeString(autostart(), theirs);
        Run r = tandem(dist, "--home", home, "host", "install");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("was not written by 'tandem host install': left as it is"), r.err());
        r = tandem(dist, "host", "uninstall", "--desktop");
        assertEquals(1, r.status(), r.out() + r.err());
        assertEquals(theirs, Files.readString(autostart()), "a file of the same name it did not write is kept");

        Files.delete(autostart());
        assertEquals(0, tandem(dist, "--home", home, "host", "install", "--desktop").status());
        String ours = Files.readString(autostart());
        assertTrue(ours.startsWith("# Written by 'tandem host install'"), ours);
        assertEquals(0, tandem(dist, "--home", home, "host", "install").status(), "installs again over its own file");
        Files.writeString(autostart(), ours.replace("Terminal=false", "Terminal=true"));
        r = tandem(dist, "host", "uninstall");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("was changed since"), r.err());
        Files.writeString(autostart(), ours);
        r = tandem(dist, "host", "uninstall");
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("removed " + autostart(), r.out().lines().findFirst().orElse(""));
        assertFalse(Files.exists(autostart()));
        r = tandem(dist, "host", "uninstall");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("nothing to remove"), r.out());
    }

    @Test
    void anEnabledUnitIsNotRemoved() throws Exception {
        Path dist = dist("dist");
        Path units = dir.resolve("units");
        assertEquals(0, tandem(dist, "host", "install", "--system", "--unit-dir", units.toString(), "--user", "t").status());
        Path link = units.resolve("multi-user.target.wants").resolve("tandem-host.service");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, units.resolve("tandem-host.service"));
        Run r = tandem(dist, "host", "uninstall", "--system", "--unit-dir", units.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("systemctl disable --now tandem-host.service"), r.err());
        assertTrue(Files.exists(units.resolve("tandem-host.service")));
        Files.delete(link);
        r = tandem(dist, "host", "uninstall", "--system", "--unit-dir", units.toString());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("next: systemctl daemon-reload"), r.out());
        assertFalse(Files.exists(units.resolve("tandem-host.service")));
    }

    @Test
    void withoutRootTheCommandLeavesEtcSystemdAlone() throws Exception {
        // As root (CI), the command runs as nobody, keeping only the capability to read the class path.
        boolean root = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0;
        List<String> asUser = root ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search", "--") : List.of();
        Path dist = dist("dist");
        for (String verb : List.of("install", "uninstall")) {
            Run r = tandem(asUser, dist, "--home", dir.resolve("home").toString(), "host", verb, "--system");
            assertEquals(1, r.status(), r.out() + r.err());
            assertEquals("tandem: changing /etc/systemd/system/tandem-host.service needs root: run the command with"
                    + " sudo (or use another folder with --unit-dir DIR)\n", r.err());
        }
    }

    @Test
    void etcSystemdNeedsRoot() {
        IOException e = assertThrows(IOException.class,
                () -> HostInstall.requireRoot(Path.of("/etc/systemd/system/tandem-host.service"), 1000));
        assertTrue(e.getMessage().contains("needs root") && e.getMessage().contains("sudo"), e.getMessage());
        assertThrows(IOException.class, () -> HostInstall.requireRoot(Path.of("/x"), 1));
    }

    @Test
    void theUnitRunsAsTheOwnerOfTheHomeAndAsRootOnlyWhenNamed() throws Exception {
        String owner = Files.getOwner(dir).getName();
        for (Path home : List.of(dir, dir.resolve("not").resolve("yet"))) {
            if (owner.equals("root")) {
                UsageException e = assertThrows(UsageException.class, () -> HostInstall.defaultUser(home));
                assertTrue(e.getMessage().contains(dir + " belongs to root") && e.getMessage().contains("--user"),
                        e.getMessage());
            } else {
                assertEquals(owner, HostInstall.defaultUser(home));
            }
        }
        if (!owner.equals("root")) {
            return; // only root can give a folder to another account
        }
        Path alices = dir.resolve("alice");
        Files.createDirectories(alices);
        Files.setOwner(alices, java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName("nobody"));
        assertEquals("nobody", HostInstall.defaultUser(alices.resolve(".tandem")), "the folder the home will be made in");
    }

    @Test
    void theAutostartFolderHonoursAnAbsoluteXdgConfigHome() {
        assertEquals(Path.of("/x/autostart"), HostInstall.autostartDir(Map.of("XDG_CONFIG_HOME", "/x"), "/home/u"));
        assertEquals(Path.of("/home/u/.config/autostart"),
                HostInstall.autostartDir(Map.of("XDG_CONFIG_HOME", "rel"), "/home/u"), "the spec ignores a relative one");
        assertEquals(Path.of("/home/u/.config/autostart"), HostInstall.autostartDir(Map.of(), "/home/u"));
    }

    @Test
    void optionsAreCheckedAndHelpTellsWhatToDo() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            assertEquals(0, Main.run(new String[] {"host", "install", "--help"}, o, e));
            assertEquals(2, Main.run(new String[] {"host", "install", "--unit-dir", "/tmp"}, o, e));
            assertEquals(2, Main.run(new String[] {"host", "install", "--user", "x"}, o, e));
            assertEquals(2, Main.run(new String[] {"host", "install", "--desktop", "--system"}, o, e));
            assertEquals(2, Main.run(new String[] {"host", "install", "--system", "--user", "a;b"}, o, e));
            assertEquals(0, Main.run(new String[] {"host", "--help"}, o, e));
        }
        String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        for (String word : List.of("--desktop", "--system", "--unit-dir", "--user", "systemctl enable --now",
                "uninstall", "tandem host install [--desktop|--system]")) {
            assertTrue(help.contains(word), word + " in " + help);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        for (String word : List.of("--unit-dir goes with --system", "--user goes with --system",
                "mutually exclusive", "--user a;b is not a user name")) {
            assertTrue(said.contains(word), word + " in " + said);
        }
    }
}
