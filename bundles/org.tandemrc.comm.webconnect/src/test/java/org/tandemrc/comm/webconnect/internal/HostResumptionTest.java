package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.webconnect.manager.internal.ManagerServer;

/**
 * The device's Host after its manager restarts on the same database and address: back with its
 * resumption ticket (no SRP logon), and with a full logon when a manager refuses the ticket.
 */
class HostResumptionTest extends TwoWebConnectDevices {

    private int port;
    /** Held here: JUL keeps loggers only weakly. */
    private final Logger auditLogger = Logger.getLogger("org.tandemrc.webconnect.manager.audit");
    private final List<String> audit = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String m = r.getParameters() == null ? r.getMessage()
                    : java.text.MessageFormat.format(r.getMessage(), r.getParameters());
            synchronized (audit) {
                audit.add(m);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    protected ManagerServer startManager(Deployment d) throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return at(d, ManagerServer.Resume.defaults());
    }

    private ManagerServer at(Deployment d, ManagerServer.Resume resume) throws Exception {
        ManagerServer m = new ManagerServer(new ManagerServer.Settings("", "127.0.0.1", port, "", null, 60, 30, 50,
                Deployment.LIMITS, ManagerServer.METHOD), d.store());
        m.resumption(resume);
        m.start();
        d.managers.add(m);
        return m;
    }

    @BeforeEach
    void captureAudit() {
        auditLogger.addHandler(capture);
    }

    @AfterEach
    void releaseAudit() {
        auditLogger.removeHandler(capture);
    }

    private List<String> audit(String code) {
        synchronized (audit) {
            return audit.stream().filter(l -> l.contains(code)).toList();
        }
    }

    /** Waits until the Host noticed its manager gone and registered again (its backoff is at most 30 s, with jitter). */
    private static void awaitRegistered(HostEndpoint e) throws InterruptedException {
        for (int i = 0; i < 100 && e.registered(); i++) {
            Thread.sleep(100);
        }
        for (int i = 0; i < 600 && !e.registered(); i++) {
            Thread.sleep(100);
        }
        assertTrue(e.registered(), "the Host registered again");
    }

    @Test
    void afterAManagerRestartTheHostResumesWithItsTicketAndLogsOnInFullWhenItIsRefused() throws Exception {
        try (Endpoint e = host.listen(profile(Deployment.settings(manager, "resume-pc")), l -> null)) {
            HostEndpoint h = (HostEndpoint) e;
            assertEquals(1, audit("TWCLOGON+").size(), "the first registration is a full logon: " + audit);
            manager.stop();
            manager = at(deployment, ManagerServer.Resume.defaults());
            awaitRegistered(h);
            List<String> resumed = audit("TWCLOGON~");
            assertEquals(1, resumed.size(), "back with its ticket: " + audit);
            assertTrue(resumed.get(0).contains("resumed its WebConnect logon as Host 'resume-pc'"), resumed.get(0));
            assertEquals(1, audit("TWCLOGON+").size(), "and no second full logon");
            // A manager that issues no tickets refuses it: the Host logs on with its password at once.
            manager.stop();
            manager = at(deployment, new ManagerServer.Resume(0, 64, 1000));
            awaitRegistered(h);
            assertTrue(audit("TWCLOGON!").stream().anyMatch(l -> l.contains("issues no tickets")), "refused: " + audit);
            assertEquals(2, audit("TWCLOGON+").size(), "then a full logon: " + audit);
        }
    }
}
