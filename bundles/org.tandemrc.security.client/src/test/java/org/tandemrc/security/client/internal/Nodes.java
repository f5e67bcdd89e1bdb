package org.tandemrc.security.client.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.tandemrc.api.testing.EventLog;
import org.tandemrc.support.event.EventRecorder;

/** A node's client against a scripted server, over the node's folder, with its events recorded. */
final class Nodes {

    private Nodes() {
    }

    static ClientSettings settings(ScriptedServer server, String kind) {
        return ClientSettings.from(Map.of("server", "mem:ss", "fingerprint", server.fingerprint(), "name", "node-1",
                "kind", kind, "reconnect", 1));
    }

    static ServerClient start(Path home, ScriptedServer server, ClientSettings s, EventLog log,
            Supplier<List<String>> addresses) throws IOException {
        return start(home, s, log, addresses, server::dial);
    }

    static ServerClient start(Path home, ClientSettings s, EventLog log, Supplier<List<String>> addresses,
            ServerClient.Dialer dialer) throws IOException {
        EventRecorder events = new EventRecorder("test.security.client");
        events.add(log);
        ServerClient c = SecurityClientComponent.start(home, s, dialer, addresses, events,
                Executors.newSingleThreadScheduledExecutor(), ScriptedServer.RANDOM);
        return c;
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
