package org.tandemrc.security.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.EventLog;
import org.tandemrc.protocol.HostIdentity;

/**
 * A Host registers its name and dialable addresses after the welcome, proving itself with the Host's
 * own identity key; a Guest resolves the name through the server; an unknown name has no addresses.
 */
class NamesTest {

    @TempDir
    Path hostHome;
    @TempDir
    Path guestHome;
    private final ScriptedServer server = new ScriptedServer();
    private ServerClient host;
    private ServerClient guest;

    @AfterEach
    void stop() throws InterruptedException {
        for (ServerClient c : new ServerClient[] {host, guest}) {
            if (c != null) {
                c.stop();
            }
        }
        server.close();
    }

    @Test
    void aGuestFindsTheHostByTheNameItRegistered() throws Exception {
        HostIdentity hostKey = HostIdentity.loadOrCreate(hostHome.resolve("data/host-identity"), new SecureRandom());
        host = Nodes.start(hostHome, server, Nodes.settings(server, "host"), new EventLog(),
                () -> List.of("tcp:10.1.2.3:6502", "webconnect:node-1"));
        Nodes.await("registered", () -> server.names.containsKey("node-1"));
        assertEquals(hostKey.fingerprint(), HostIdentity.fingerprint(server.hellos.get(0).key()),
                "a Host proves itself with the Host's own key");
        guest = Nodes.start(guestHome, server, Nodes.settings(server, "guest"), new EventLog(), List::of);
        // A Guest command asks at once, while its client is still dialing: the question waits for the welcome.
        assertEquals(List.of("tcp:10.1.2.3:6502", "webconnect:node-1"), guest.resolve("node-1"));
        assertEquals(List.of(), guest.resolve("nobody"));
        assertTrue(guestHome.resolve("data/node-identity").toFile().exists(), "a Guest has a key of its own");
        server.down();
        Nodes.await("lost", () -> !guest.connected());
        assertThrows(IOException.class, () -> guest.resolve("node-1"));
    }

    @Test
    void aHostWaitsForTheHostsOwnKeyAndAnotherServerKeyIsRefused() throws Exception {
        host = Nodes.start(hostHome, server, Nodes.settings(server, "host"), new EventLog(), List::of);
        Nodes.await("the missing key is reported", () -> host.status().contains("has not created its identity key"));
        HostIdentity.loadOrCreate(hostHome.resolve("data/host-identity"), new SecureRandom());
        Nodes.await("connected once the Host made its key", host::connected);

        ScriptedServer impostor = new ScriptedServer();
        guest = Nodes.start(guestHome, impostor, Nodes.settings(server, "guest"), new EventLog(), List::of);
        Nodes.await("refused", () -> guest.status().contains("not the pinned " + server.fingerprint()));
        assertTrue(impostor.hellos.isEmpty(), "nothing is said to a server with another key");
        impostor.close();
    }
}
