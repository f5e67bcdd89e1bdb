package org.tandemrc.tool.services.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.process.Commands;

/**
 * Against the machine's own init scripts: tinyproxy (no status action) and PostgreSQL (LSB status), through
 * the real {@code service} and {@code update-rc.d}. Each test puts the service back as it found it.
 */
class SysvServicesTest {

    static final Path INIT = Path.of("/etc/init.d");
    static ServicesTool tool;
    static boolean postgresRan;
    static boolean tinyproxyRan;
    static String tinyproxyBoot;

    @BeforeAll
    static void found() throws Exception {
        assumeTrue(!Files.isDirectory(Path.of("/run/systemd/system")), "systemd runs this machine");
        assumeTrue(Files.isExecutable(INIT.resolve("tinyproxy")) && Files.isExecutable(INIT.resolve("postgresql")),
                "the tinyproxy and postgresql packages' init scripts");
        tool = new ServicesTool();
        postgresRan = status("postgresql") == 0;
        tinyproxyRan = tinyproxyRuns();
        tinyproxyBoot = sysv().boot("tinyproxy");
    }

    @AfterAll
    static void putBack() throws Exception {
        if (tool == null) {
            return;
        }
        Commands.run(List.of("/usr/sbin/service", "postgresql", postgresRan ? "start" : "stop"), Duration.ofSeconds(90), 4096);
        Commands.run(List.of("/usr/sbin/service", "tinyproxy", tinyproxyRan ? "start" : "stop"), Duration.ofSeconds(90), 4096);
        Commands.run(List.of("/usr/sbin/update-rc.d", "tinyproxy", tinyproxyBoot.equals("enabled") ? "enable" : "disable"),
                Duration.ofSeconds(30), 4096);
        assertEquals(postgresRan, status("postgresql") == 0, "postgresql put back");
        assertEquals(tinyproxyRan, tinyproxyRuns(), "tinyproxy put back");
        assertEquals(tinyproxyBoot, sysv().boot("tinyproxy"), "tinyproxy's boot links put back");
    }

    static SysvServices sysv() {
        return new SysvServices(INIT, Path.of("/etc"), Path.of("/usr/sbin/service"), Path.of("/usr/sbin/update-rc.d"));
    }

    static int status(String name) throws ToolException {
        return Commands.run(List.of("/usr/sbin/service", name, "status"), Duration.ofSeconds(10), 4096).status();
    }

    /** The service's own tinyproxy, by the pid file its script starts it with (other tests run tinyproxys of their own). */
    static boolean tinyproxyRuns() {
        try {
            long pid = Long.parseLong(Files.readString(Path.of("/run/tinyproxy/tinyproxy.pid")).strip());
            return ProcessHandle.of(pid).map(p -> p.isAlive() && p.info().command().orElse("").endsWith("tinyproxy"))
                    .orElse(false);
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
    }

    static List<String> row(Result.Table t, String name) {
        return t.rows().stream().filter(r -> r.get(0).equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " not listed: " + t.rows()));
    }

    @Test
    void listsTheInitScriptsWithStateBootAndDescription() throws Exception {
        Result.Table t = (Result.Table) tool.invoke("list", Map.of());
        List<String> tinyproxy = row(t, "tinyproxy");
        assertEquals(List.of("tinyproxy", "unknown", tinyproxyBoot, "Tinyproxy HTTP proxy"), tinyproxy);
        assertEquals(postgresRan ? "running" : "stopped", row(t, "postgresql").get(1));
        assertTrue(t.rows().stream().noneMatch(r -> r.get(0).equals("README") || r.get(0).equals("skeleton")));
    }

    @Test
    void startsStopsAndRestartsPostgresqlThroughItsScript() throws Exception {
        String m = ((Result.Message) tool.invoke("start", Map.of("name", "postgresql"))).text();
        assertEquals("Service postgresql started through SysV init; it is now running.", m);
        assertEquals(0, status("postgresql"));
        m = ((Result.Message) tool.invoke("restart", Map.of("name", "postgresql"))).text();
        assertEquals("Service postgresql restarted through SysV init; it is now running.", m);
        m = ((Result.Message) tool.invoke("stop", Map.of("name", "postgresql"))).text();
        assertEquals("Service postgresql stopped through SysV init; it is now stopped.", m);
        assertEquals(3, status("postgresql"));
    }

    @Test
    void startsAndStopsTinyproxyWhoseScriptHasNoStatus() throws Exception {
        String m = ((Result.Message) tool.invoke("start", Map.of("name", "tinyproxy"))).text();
        assertEquals("Service tinyproxy started through SysV init; its script reports no status.", m);
        assertTrue(waitFor(true), "tinyproxy runs");
        tool.invoke("stop", Map.of("name", "tinyproxy"));
        assertTrue(waitFor(false), "tinyproxy stopped");
    }

    private static boolean waitFor(boolean running) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (tinyproxyRuns() == running) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void enablesAndDisablesTinyproxyAtBootWithUpdateRcD() throws Exception {
        String m = ((Result.Message) tool.invoke("enable", Map.of("name", "tinyproxy"))).text();
        assertEquals("Service tinyproxy enabled (starts at boot) through SysV init; at boot it is now enabled.", m);
        assertTrue(Files.exists(Path.of("/etc/rc2.d/S01tinyproxy")), "S link in runlevel 2");
        m = ((Result.Message) tool.invoke("disable", Map.of("name", "tinyproxy"))).text();
        assertEquals("Service tinyproxy disabled (does not start at boot) through SysV init; at boot it is now disabled.", m);
        assertFalse(Files.exists(Path.of("/etc/rc2.d/S01tinyproxy")), "no S link in runlevel 2");
    }

    @Test
    void aServiceWithoutScriptIsRefusedByName() {
        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("start", Map.of("name", "tandemnosuch")));
        assertEquals("there is no service 'tandemnosuch' (no init script /etc/init.d/tandemnosuch)", e.getMessage());
    }

    /** A name from the Guest never becomes a path out of init.d, an option, or shell syntax. */
    @ParameterizedTest
    @ValueSource(strings = {"../../usr/bin/touch", "..", "-h", "--help", "tinyproxy; touch /tmp/tandem-services-pwned",
            "tinyproxy\nstart", "$(touch /tmp/tandem-services-pwned)", "", ".hidden"})
    void hostileNamesAreRefusedBeforeAnythingRuns(String name, @TempDir Path dir) throws Exception {
        for (String op : List.of("start", "stop", "restart", "enable", "disable")) {
            ToolException e = assertThrows(ToolException.class, () -> tool.invoke(op, Map.of("name", name)), op + " " + name);
            assertTrue(e.getMessage().startsWith("that is not a service name"), e.getMessage());
        }
        assertFalse(Files.exists(Path.of("/tmp/tandem-services-pwned")));
    }

    @Test
    void anExecutableOutsideInitDIsNoService(@TempDir Path dir) throws Exception {
        // Even past the name check, the manager runs only what init.d holds.
        ToolException e = assertThrows(ToolException.class, () -> sysv().act("true", ServiceManager.Action.START));
        assertTrue(e.getMessage().startsWith("there is no service 'true'"), e.getMessage());
    }
}
