package org.tandemrc.support.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;

class ProfileListenersTest {

    /** Records what was opened and closed; refuses profiles with {@code fail=true}. */
    record FakeDevice(String type, List<String> log) implements CommunicationDevice {
        FakeDevice(String type) {
            this(type, new ArrayList<>());
        }

        @Override
        public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException {
            if (profile.settings().containsKey("fail")) {
                throw new IOException("address in use");
            }
            log.add("open " + profile.name());
            return new FakeEndpoint(profile, type + ":" + profile.name(), log);
        }

        @Override
        public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
            throw new UnsupportedOperationException();
        }
    }

    record FakeEndpoint(CommunicationProfile profile, String address, List<String> log) implements Endpoint {
        @Override
        public void close() {
            log.add("close " + profile.name());
        }
    }

    /** A profile kept in its file but switched off ({@code enabled=false}). */
    record Disabled(CommunicationProfile profile) implements ConfiguredProfile {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public Optional<String> problem() {
            return Optional.empty();
        }
    }

    private static ConfiguredProfile profile(String name, String device, boolean enabled, Map<String, String> settings) {
        CommunicationProfile p = new CommunicationProfile(name, device, settings);
        return enabled ? ConfiguredProfile.of(p) : new Disabled(p);
    }

    private final ProfileListeners listeners = new ProfileListeners("Test", System.getLogger("test"),
            (device, profile) -> device.listen(profile, link -> null));

    @Test
    void listensWhenBothDeviceAndProfileArePresentAndWaitsOtherwise() {
        FakeDevice tcp = new FakeDevice("tcp");
        listeners.addProfile(profile("lan", "tcp", true, Map.of()));
        listeners.addProfile(profile("off", "tcp", false, Map.of()));
        listeners.reconcile();
        RoleStatus waiting = listeners.status(List.of(), List.of());
        assertEquals(List.of(), waiting.listening());
        assertEquals(1, waiting.waiting().size());
        assertTrue(waiting.waiting().get(0).contains("'lan' waits for the tcp"), waiting.waiting().toString());

        listeners.addDevice(tcp);
        listeners.reconcile();
        RoleStatus up = listeners.status(List.of("own problem"), List.of("name   x"));
        assertEquals(List.of("tcp:lan"), up.listening());
        assertEquals(List.of("lan\ttcp:lan"), up.endpoints());
        assertEquals(List.of("own problem"), up.problems());
        assertEquals(List.of(), up.waiting());
        assertEquals(List.of("open lan"), tcp.log());
    }

    @Test
    void aChangedProfileOrReplacedDeviceReopensAndARemovedOneCloses() {
        FakeDevice first = new FakeDevice("tcp");
        ConfiguredProfile lan = profile("lan", "tcp", true, Map.of());
        listeners.addDevice(first);
        listeners.addProfile(lan);
        listeners.reconcile();
        listeners.reconcile();
        assertEquals(List.of("open lan"), first.log(), "nothing changed, nothing reopened");

        ConfiguredProfile changed = profile("lan", "tcp", true, Map.of("port", "1"));
        listeners.removeProfile(lan);
        listeners.addProfile(changed);
        listeners.reconcile();
        assertEquals(List.of("open lan", "close lan", "open lan"), first.log());

        FakeDevice second = new FakeDevice("tcp");
        listeners.removeDevice(first);
        listeners.addDevice(second);
        listeners.reconcile();
        assertEquals("close lan", first.log().get(first.log().size() - 1));
        assertEquals(List.of("open lan"), second.log());

        listeners.removeProfile(changed);
        listeners.reconcile();
        assertEquals(List.of("open lan", "close lan"), second.log());
        assertEquals(List.of(), listeners.listening());
    }

    @Test
    void aProfileThatCannotListenIsAProblemNamingIt() {
        listeners.addDevice(new FakeDevice("tcp"));
        listeners.addProfile(profile("busy", "tcp", true, Map.of("fail", "true")));
        listeners.reconcile();
        assertEquals(List.of("profile 'busy': address in use"), listeners.status(List.of(), List.of()).problems());
    }

    @Test
    void theCommandLineProfileReplacesTheConfiguredOnesAndCloseAllClosesEverything() {
        FakeDevice tcp = new FakeDevice("tcp");
        listeners.addDevice(tcp);
        listeners.addProfile(profile("lan", "tcp", true, Map.of()));
        listeners.commandLine("command-line", "tcp:127.0.0.1:0");
        listeners.reconcile();
        assertEquals(List.of("open command-line"), tcp.log());
        listeners.closeAll("stopped");
        assertEquals(List.of("open command-line", "close command-line"), tcp.log());
    }
}
