package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.HostPort;

/** A webconnect profile's settings, checked. */
record Settings(List<String> managers, String account, char[] password, String hostName, int idleSeconds,
        int reconnectSeconds, int maxMessage, boolean tls) {

    static Settings of(CommunicationProfile p, boolean needHostName) {
        List<String> managers = managers(p.text("manager", ""));
        String account = p.text("account", null);
        if (account == null) {
            throw new IllegalArgumentException("profile '" + p.name() + "': 'account' (the WebConnect account) is missing");
        }
        String pw = p.text("password", null);
        String file = p.text("password-file", null);
        if (pw == null && file != null) {
            try {
                pw = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("profile '" + p.name() + "': cannot read password-file " + file + ": "
                        + e.getMessage());
            }
        }
        if (pw == null || pw.isEmpty()) {
            throw new IllegalArgumentException("profile '" + p.name() + "': 'password' or 'password-file' is missing");
        }
        String host = p.text("host-name", p.text("host.name", null));
        if (needHostName && host == null) {
            throw new IllegalArgumentException("profile '" + p.name() + "': 'host-name' is missing");
        }
        if ("true".equalsIgnoreCase(p.text("tls", "false"))) {
            throw new IllegalArgumentException("profile '" + p.name() + "': tls=true is not supported yet by the webconnect device");
        }
        if (!p.text("fallback", "").isEmpty()) {
            throw new IllegalArgumentException("profile '" + p.name() + "': fallback=" + p.text("fallback", "")
                    + " is not supported yet by the webconnect device");
        }
        return new Settings(managers, account, pw.toCharArray(), host,
                p.integer("idle-timeout", 60, 3, 3600), p.integer("reconnect-timeout", 30, 1, 3600),
                p.integer("max-message", 1 << 20, 1024, 16 << 20), false);
    }

    /** {@code host:port[,host:port]}, tried in order. */
    static List<String> managers(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                out.add(HostPort.parse(s.trim(), Control.DEFAULT_PORT, "Connection Manager address").authority());
            }
        }
        return out;
    }
}
