package org.tandemrc.security.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.testing.EventLog;
import org.tandemrc.comm.tcp.internal.TcpDevice;

/**
 * Over a real loopback TCP link, with the node's own tcp device and the dialer the component uses: the
 * node reaches the server at the configured address, is welcomed and delivers its events; the server
 * stopped and started again on the same port, the node comes back by itself.
 */
class TcpServerTest {

    @TempDir
    Path home;
    private final TcpDevice tcp = new TcpDevice();
    private final ScriptedServer server = new ScriptedServer();
    private ServerClient client;
    private Endpoint endpoint;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        server.close();
        tcp.deactivate();
    }

    private Endpoint listen(String port) throws Exception {
        return tcp.listen(new CommunicationProfile("ss", "tcp", Map.of("bind", "127.0.0.1", "port", port)),
                link -> server.accept());
    }

    @Test
    void aNodeReachesItsServerOverTcpAndComesBackAfterARestart() throws Exception {
        tcp.activate();
        endpoint = listen("0");
        String address = endpoint.address();
        ClientSettings s = ClientSettings.from(Map.of("server", address, "fingerprint", server.fingerprint(),
                "name", "node-1", "kind", "gateway", "reconnect", 1));
        client = Nodes.start(home, s, new EventLog(), List::of, h -> SecurityClientComponent.dial(s, List.of(tcp), List.of(), h));
        Nodes.await("welcomed over tcp", client::connected);
        assertEquals("gateway", server.hellos.get(0).kind().id());
        client.record(new AuditEvent(Instant.now(), "TEST", Severity.INFO, "node-1", "", "", "before"));
        Nodes.await("stored", () -> server.stored.size() == 1);

        String port = address.substring(address.lastIndexOf(':') + 1);
        endpoint.close();
        server.down();
        Nodes.await("lost", () -> !client.connected());
        client.record(new AuditEvent(Instant.now(), "TEST", Severity.INFO, "node-1", "", "", "while down"));
        server.up = true;
        endpoint = listen(port);
        Nodes.await("back", client::connected);
        Nodes.await("stored", () -> server.stored.size() == 2);
        assertEquals("while down", server.stored.get(1L).detail());
        assertTrue(client.status().startsWith("connected to " + address), client.status());
    }
}
