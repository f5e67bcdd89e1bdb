package org.tandemrc.security.client.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.NodeKind;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;

/**
 * The client's checked settings.
 *
 * @param device      the communication device that reaches the server
 * @param target      the server's address in that device's syntax
 * @param fingerprint the pinned key of the server
 */
record ClientSettings(String device, String target, String fingerprint, String name, NodeKind kind,
        int reconnectSeconds, long outboxMaxBytes) {

    static final String PID = "org.tandemrc.security.client";
    static final int DEFAULT_PORT = 6510;
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    /** @throws IllegalArgumentException naming the key and the value, for the first bad one */
    static ClientSettings from(Map<String, ?> config) {
        ClientConfig c = TypedConfig.of(ClientConfig.class, PID, config);
        String server = c.server().trim();
        if (server.isEmpty()) {
            throw CHECK.invalid("server", server, "is required: the Security Server's DEVICE:ADDRESS, e.g. tcp:security.example:6510");
        }
        int colon = server.indexOf(':');
        String device = colon > 0 && server.substring(0, colon).matches("[a-z][a-z0-9-]*")
                && !server.substring(colon + 1).matches("\\d+") ? server.substring(0, colon) : "tcp";
        String target = server.startsWith(device + ":") ? server.substring(device.length() + 1) : server;
        if (device.equals("tcp") && !target.startsWith("[") && target.indexOf(':') < 0
                || device.equals("tcp") && target.startsWith("[") && !target.contains("]:")) {
            target = target + ":" + DEFAULT_PORT;
        }
        String fp = c.fingerprint().trim();
        if (!fp.matches("SHA256:[A-Za-z0-9+/=_-]{16,64}")) {
            throw CHECK.invalid("fingerprint", fp, "is required: the Security Server's key as SHA256:..., which"
                    + " 'tandem security-server' prints");
        }
        String name = c.name().trim().isEmpty() ? localName() : c.name().trim();
        if (name.length() > SecurityServerWire.MAX_NAME || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw CHECK.invalid("name", name, "must be 1.." + SecurityServerWire.MAX_NAME + " printable characters");
        }
        NodeKind kind = null;
        for (NodeKind k : NodeKind.values()) {
            if (k.id().equals(c.kind().trim().toLowerCase(Locale.ROOT))) {
                kind = k;
            }
        }
        if (kind == null) {
            throw CHECK.invalid("kind", c.kind(), "is not host, guest, gateway, webconnect or console");
        }
        return new ClientSettings(device, target, fp, name, kind, CHECK.range("reconnect", c.reconnect(), 1, 60),
                CHECK.range("outbox.max.bytes", c.outbox_max_bytes(), 1L << 20, 64L << 30));
    }

    String server() {
        return device + ":" + target;
    }

    private static String localName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "tandem-node";
        }
    }
}
