package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The central audit trail in a real node: the {@code security-server} feature's trail bundle starts on its
 * embedded H2 database, and {@code tandem admin audit} verifies, searches and exports through the node.
 */
class AuditIT {

    @TempDir
    Path tmp;

    @Test
    void theTrailRunsInANodeAndAnswersTheAdminCommands() throws Exception {
        Path home = tmp.resolve("home");
        Path password = Files.writeString(tmp.resolve("pw"), "a host password\n");
        try (NodeProcess node = NodeProcess.host(home, password, Map.of(), false, Map.of())) {
            NodeProcess.Result r = NodeProcess.admin(home, "feature", "install", "log-file", "security-server");
            assertEquals(0, r.status(), r.out() + r.err());
            r = NodeProcess.admin(home, "audit", "verify");
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("audit trail OK: 0 rows, the chain and its head match", r.out().strip());
            assertTrue(Files.exists(home.resolve("data/security/security.mv.db")), "the trail's H2 file");

            r = NodeProcess.admin(home, "audit", "search", "--code", "TSECSS", "--since", "2026-01-01");
            assertEquals(0, r.status(), r.err());
            assertEquals(1, r.out().lines().count(), r.out());
            Path csv = tmp.resolve("audit.csv");
            r = NodeProcess.admin(home, "audit", "export", "--csv", csv.toString());
            assertEquals(0, r.status(), r.err());
            assertEquals("id,time,source,name,seq,code,severity,node,peer,user,detail,hash\r\n",
                    Files.readString(csv, StandardCharsets.UTF_8));
            r = NodeProcess.admin(home, "audit", "search", "--limit", "x");
            assertEquals(2, r.status(), r.out() + r.err());

            String events = Files.readString(home.resolve("data/log/events.log"), StandardCharsets.UTF_8);
            assertTrue(events.contains("TSECAUDIT"), events);
        }
    }
}
