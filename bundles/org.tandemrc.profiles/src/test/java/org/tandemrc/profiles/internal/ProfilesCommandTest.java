package org.tandemrc.profiles.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.node.NodeRole;

class ProfilesCommandTest {

    private static ProfileConfiguration configured(Map<String, Object> config) {
        ProfileConfiguration p = new ProfileConfiguration();
        p.activate(config);
        return p;
    }

    private static CommunicationDevice device(String type) {
        return device(type, List.of());
    }

    private static CommunicationDevice device(String type, List<DeviceSetting> settings) {
        return new CommunicationDevice() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public List<DeviceSetting> settings() {
                return settings;
            }

            @Override
            public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void aProfileIsNamedByItsFileAndKeepsOnlyDeviceSettings() {
        ProfileConfiguration p = configured(Map.of("device", "http", "proxy", "10.0.0.1:3128",
                "felix.fileinstall.filename", "file:/opt/tandem/etc/org.tandemrc.profile-office.cfg",
                "service.pid", "org.tandemrc.profile~office", "component.id", 7L, "osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)"));
        assertEquals("office", p.profile().name());
        assertEquals("http", p.profile().device());
        assertEquals(Map.of("proxy", "10.0.0.1:3128"), p.profile().settings());
        assertTrue(p.enabled());
        assertTrue(p.problem().isEmpty());
        ProfileConfiguration none = configured(Map.of("name", "broken", "enabled", "false"));
        assertEquals("profile 'broken' names no device (add device=tcp to its configuration)", none.problem().get());
    }

    @Test
    void theListShowsStateAndMasksSecrets() {
        ProfilesCommand command = new ProfilesCommand();
        command.profiles = List.of(configured(Map.of("name", "default", "device", "tcp", "port", "6502")),
                configured(Map.of("name", "office", "device", "http", "proxy", "10.0.0.1:3128",
                        "proxy-user", "bob", "proxy-password", "s3cret")),
                configured(Map.of("name", "lan", "device", "udp", "enabled", "false")),
                configured(Map.of("name", "busy", "device", "tcp", "port", "80")));
        command.devices = List.of(device("tcp"), device("http"));
        Map<String, Object> role = new HashMap<>();
        role.put("service.id", 1L);
        role.put(NodeRole.ENDPOINTS_PROPERTY, new String[] {"default\ttcp:[::]:6502"});
        role.put(NodeRole.PROBLEMS_PROPERTY, new String[] {"profile 'busy': cannot listen on tcp:*:80: denied"});
        command.roles = List.of(role);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = command.run(List.of(), null, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("PROFILE  DEVICE  ENABLED  STATE                                              SETTINGS", lines.get(0));
        assertEquals("busy     tcp     yes      profile 'busy': cannot listen on tcp:*:80: denied  port=80", lines.get(1));
        assertEquals("default  tcp     yes      listening on tcp:[::]:6502                         port=6502", lines.get(2));
        assertEquals("lan      udp     no       disabled                                           -", lines.get(3));
        assertEquals("office   http    yes      ready                                              "
                + "proxy=10.0.0.1:3128 proxy-password=**** proxy-user=bob", lines.get(4));
        assertEquals(2, command.run(List.of("extra"), null, System.out, new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void aHostListeningOnItsCommandLineSaysSo() {
        ProfilesCommand command = new ProfilesCommand();
        command.profiles = List.of(configured(Map.of("name", "default", "device", "tcp", "port", "6502")));
        command.devices = List.of(device("tcp"));
        Map<String, Object> role = new HashMap<>();
        role.put("service.id", 1L);
        role.put(NodeRole.ENDPOINTS_PROPERTY, new String[] {"command-line\ttcp:127.0.0.1:6502"});
        command.roles = List.of(role);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, command.run(List.of(), null, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).matches("default\\s+tcp\\s+yes\\s+not used: --listen replaces the configured profiles\\s+port=6502"),
                lines.get(1));
        assertTrue(lines.get(2).matches("command-line\\s+tcp\\s+yes\\s+listening on tcp:127.0.0.1:6502\\s+"
                + "from --listen; replaces the configured profiles"), lines.get(2));
    }

    private static final List<DeviceSetting> TCP_LIKE = List.of(
            DeviceSetting.integer("port", 6502, 0, 65535, "port to listen on"),
            DeviceSetting.choice("mode", List.of("auto", "websocket"), "how to carry messages"),
            DeviceSetting.secret("key", "the shared key"));

    @Test
    void aSettingTheDeviceRefusesIsTheProfilesProblemInTheSettingsCheckStyle() {
        ProfilesCommand command = new ProfilesCommand();
        command.profiles = List.of(configured(Map.of("device", "tcp", "port", "70000",
                        "felix.fileinstall.filename", "file:/opt/tandem/etc/org.tandemrc.profile-office.cfg")),
                configured(Map.of("name", "lab", "device", "tcp", "mode", "pigeon", "key", "k1")),
                configured(Map.of("name", "good", "device", "tcp", "port", "6503", "mode", "WebSocket")));
        command.devices = List.of(device("tcp", TCP_LIKE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, command.run(List.of(), null, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(1).matches("good\\s+tcp\\s+yes\\s+ready\\s+mode=WebSocket port=6503"), lines.get(1));
        assertTrue(lines.get(2).matches("lab\\s+tcp\\s+yes\\s+problem: org.tandemrc.profile-lab: mode=pigeon is not auto or websocket"
                + "\\s+key=\\*\\*\\*\\* mode=pigeon"), lines.get(2));
        assertTrue(lines.get(3).matches("office\\s+tcp\\s+yes\\s+problem: org.tandemrc.profile-office: port=70000 is outside 0..65535"
                + "\\s+port=70000"), lines.get(3));
    }

    @Test
    void aDeviceNameListsTheSettingsItsProfilesTake() {
        ProfilesCommand command = new ProfilesCommand();
        command.devices = List.of(device("tcp", TCP_LIKE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, command.run(List.of("tcp"), null, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        assertEquals(List.of(
                "SETTING  TAKES           DEFAULT  DESCRIPTION",
                "port     0..65535        6502     port to listen on",
                "mode     auto|websocket  auto     how to carry messages",
                "key      secret          -        the shared key"), out.toString(StandardCharsets.UTF_8).lines().toList());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, command.run(List.of("pigeon"), null, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("tandem admin profiles: no pigeon device is installed (installed: tcp)"),
                err.toString(StandardCharsets.UTF_8));
    }
}
