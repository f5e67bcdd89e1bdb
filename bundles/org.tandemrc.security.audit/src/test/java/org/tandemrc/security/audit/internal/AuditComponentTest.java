package org.tandemrc.security.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.node.Command;

/**
 * The component as Declarative Services runs it: its configuration keys (the server's database keys, its
 * own syslog keys), the default H2 file under the node's home, the {@code admin:audit} command it registers,
 * the TSECAUDIT event to the node's sinks, and a trail that keeps working when the syslog settings are wrong.
 */
class AuditComponentTest {

    @TempDir
    Path dir;

    /** What the component registered, by command name, and whether it was unregistered. */
    final Map<String, Command> commands = new HashMap<>();

    BundleContext context(String home) {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> "tandem.home".equals(args[0]) ? home : null;
                    case "registerService" -> {
                        String name = (String) ((Dictionary<?, ?>) args[2]).get(Command.NAME_PROPERTY);
                        // The AuditQuery service (the console's) is registered too; the tests run the commands.
                        if (args[1] instanceof Command c) {
                            commands.put(name, c);
                        }
                        yield Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        commands.remove(name);
                                    }
                                    return null;
                                });
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    String admin(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = commands.get("admin:audit").run(List.of(args), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        return status + " " + out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void theDefaultDatabaseIsUnderTheHomeAndVerifyIsAnEvent() throws Exception {
        AuditComponent c = new AuditComponent();
        List<AuditEvent> events = new ArrayList<>();
        c.bindSink(events::add);
        c.activate(context(dir.toString()), Map.of());
        try {
            assertEquals(1, c.append("fp-a", "host-a", 0, AuditStoreTest.events(2, 0, "HSESRC+")));
            assertTrue(Files.exists(dir.resolve("data/security/security.mv.db")));
            assertEquals("0 audit trail OK: 2 rows, the chain and its head match", admin("verify"));
            assertEquals(EventCodes.TANDEM_AUDIT_VERIFIED, events.get(0).code());
            assertEquals("audit trail OK: 2 rows", events.get(0).detail());
        } finally {
            c.deactivate();
        }
        assertTrue(commands.isEmpty(), "the command left with the component");
    }

    @Test
    void theServersDatabaseKeysAndTheSyslogKeysAreRead() throws Exception {
        Path pki = dir.resolve("pki");
        Path ca = Rsyslog.certificates(pki);
        try (Rsyslog rsyslog = new Rsyslog(dir.resolve("rsyslog"), ca, pki.resolve("server.crt"),
                pki.resolve("server.key"))) {
            rsyslog.start();
            AuditComponent c = new AuditComponent();
            c.activate(context(dir.resolve("home").toString()), Map.of(
                    "database.url", "jdbc:h2:" + dir.resolve("elsewhere/db"),
                    "syslog.host", "127.0.0.1", "syslog.port", Integer.toString(rsyslog.port),
                    "syslog.ca", ca.toString(), "syslog.app", "ss-audit"));
            try {
                c.append("fp-a", "host-a", 0, AuditStoreTest.events(3, 0, "TSECSS+"));
                assertEquals(3, rsyslog.await(3, 60).size(), rsyslog.lines().toString());
                assertTrue(Files.exists(dir.resolve("elsewhere/db.mv.db")));
                assertTrue(Files.notExists(dir.resolve("home/data/security")));
            } finally {
                c.deactivate();
            }
        }
    }

    @Test
    void wrongSyslogSettingsLeaveTheTrailWorking() throws Exception {
        AuditComponent c = new AuditComponent();
        c.activate(context(dir.toString()), Map.of("syslog.host", "127.0.0.1", "syslog.ca",
                dir.resolve("missing.pem").toString()));
        try {
            assertEquals(0, c.append("fp-a", "host-a", 0, AuditStoreTest.events(1, 0, "X")));
            assertEquals("0 audit trail OK: 1 rows, the chain and its head match", admin("verify"));
        } finally {
            c.deactivate();
        }
    }
}
