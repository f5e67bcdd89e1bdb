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
        int reconnectSeconds, int maxMessage, Transport transport, int ticketMinutes) {

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
        String tlsText = p.text("tls", "false").toLowerCase(java.util.Locale.ROOT);
        if (!tlsText.equals("true") && !tlsText.equals("false")) {
            throw new IllegalArgumentException("profile '" + p.name() + "': tls=" + tlsText + " is neither true nor false");
        }
        String trust = p.text("trust", null);
        List<String> pins = new ArrayList<>();
        for (String pin : p.text("trust-fingerprint", "").split(",")) {
            if (!pin.isBlank()) {
                pins.add(pin.trim());
            }
        }
        Transport transport;
        try {
            transport = new Transport(tlsText.equals("true"), trust, List.copyOf(pins)).checked();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile '" + p.name() + "': " + e.getMessage(), e);
        }
        if (!p.text("fallback", "").isEmpty()) {
            throw new IllegalArgumentException("profile '" + p.name() + "': fallback=" + p.text("fallback", "")
                    + " is not supported yet by the webconnect device");
        }
        return new Settings(managers, account, pw.toCharArray(), host,
                p.integer("idle-timeout", 60, 3, 3600), p.integer("reconnect-timeout", 30, 1, 3600),
                p.integer("max-message", 1 << 20, 1024, 16 << 20), transport,
                p.text("ticket", null) == null ? 0 : p.integer("ticket", 60, 1, 24 * 60));
    }

    /** {@code [tls:|tcp:]host:port[,...]}, tried in order; the scheme is kept when given. */
    static List<String> managers(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.split(",")) {
            if (!s.isBlank()) {
                String t = s.trim();
                String scheme = t.regionMatches(true, 0, "tls:", 0, 4) ? "tls:"
                        : t.regionMatches(true, 0, "tcp:", 0, 4) ? "tcp:" : "";
                out.add(scheme + HostPort.parse(t.substring(scheme.length()), Control.DEFAULT_PORT,
                        "Connection Manager address").authority());
            }
        }
        return out;
    }
}
