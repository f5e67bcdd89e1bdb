package org.tandemrc.tool.services.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/**
 * The systemd path as far as systemctl goes without systemd running: unit files listed, enabled and
 * disabled for real in a root folder; the running state and start/stop need the manager, and the tool
 * passes systemctl's own refusal on; list-units output parsed from systemctl's format.
 */
class SystemdServicesTest {

    static final Path SYSTEMCTL = Path.of("/usr/bin/systemctl");

    @Test
    void unitFilesAreListedEnabledAndDisabledInARoot(@TempDir Path root) throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMCTL), "systemctl");
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.writeString(units.resolve("tandemdemo.service"),
                "[Unit]\nDescription=Tandem demo\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n");
        ServicesTool tool = new ServicesTool(new SystemdServices(SYSTEMCTL, root), "none");
        Result.Table t = (Result.Table) tool.invoke("list", Map.of());
        assertTrue(t.rows().contains(List.of("tandemdemo", "inactive", "disabled", "")), t.rows().toString());
        String m = ((Result.Message) tool.invoke("enable", Map.of("name", "tandemdemo"))).text();
        assertEquals("Service tandemdemo.service enabled (starts at boot) through systemd; at boot it is now enabled.", m);
        assertTrue(Files.isSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/tandemdemo.service")));
        m = ((Result.Message) tool.invoke("disable", Map.of("name", "tandemdemo.service"))).text();
        assertEquals("Service tandemdemo.service disabled (does not start at boot) through systemd; at boot it is now disabled.", m);
        assertTrue(Files.notExists(root.resolve("etc/systemd/system/multi-user.target.wants/tandemdemo.service")));
        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("enable", Map.of("name", "tandemnosuch")));
        assertTrue(e.getMessage().startsWith("systemctl enable failed: "), e.getMessage());
    }

    @Test
    void withoutSystemdRunningSystemctlsRefusalIsTheAnswer() {
        assumeTrue(Files.isExecutable(SYSTEMCTL) && !Files.isDirectory(Path.of("/run/systemd/system")),
                "systemctl on a machine systemd does not run");
        ServicesTool tool = new ServicesTool(new SystemdServices(SYSTEMCTL, null), "none");
        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("start", Map.of("name", "tandemdemo")));
        assertEquals("systemctl start failed: System has not been booted with systemd as init system (PID 1). Can't operate.",
                e.getMessage());
        e = assertThrows(ToolException.class, () -> tool.invoke("list", Map.of()));
        assertTrue(e.getMessage().startsWith("systemctl list-units failed: System has not been booted"), e.getMessage());
    }

    @Test
    void listUnitsLinesAreParsedDescriptionsWithSpacesAndFailedMarksIncluded() {
        String out = """
                cron.service                  loaded    active   running Regular background program processing daemon
                ● postgresql@15-main.service  loaded    failed   failed  PostgreSQL Cluster 15-main
                ssh.service                   loaded    inactive dead    OpenBSD Secure Shell server
                user@1000.service             loaded    active   running User Manager for UID 1000
                sys-kernel.mount              loaded    active   mounted Kernel
                """;
        List<String[]> u = SystemdServices.parseUnits(out);
        assertEquals(4, u.size());
        assertEquals(List.of("postgresql@15-main.service", "loaded", "failed", "failed", "PostgreSQL Cluster 15-main"),
                List.of(u.get(1)));
        assertEquals("Regular background program processing daemon", u.get(0)[4]);
        assertEquals(Map.of("ssh.service", "enabled", "tmp.service", "static"),
                SystemdServices.parseUnitFiles("ssh.service enabled enabled\ntmp.service static -\ntmp.mount static -\n"));
    }

    @Test
    void noServiceManagerIsAClearRefusal() {
        ServicesTool tool = new ServicesTool(null, "this Host has neither systemd nor SysV init scripts");
        ToolException e = assertThrows(ToolException.class, () -> tool.invoke("list", Map.of()));
        assertEquals("this Host has neither systemd nor SysV init scripts", e.getMessage());
    }
}
