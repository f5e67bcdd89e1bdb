package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.tandemrc.support.password.PasswordFile;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.webconnect.protocol.Support;

/** A webconnect profile's settings, checked. */
record Settings(List<String> managers, String account, char[] password, String hostName, int idleSeconds,
        int reconnectSeconds, int maxMessage, Transport transport, int ticketMinutes, String supportCode) {

    static final DeviceSetting TLS = DeviceSetting.choice("tls", List.of("false", "true"), "reach the managers over TLS");
    static final DeviceSetting TRANSPORT = DeviceSetting.choice("transport", List.of("auto", "http"),
            "auto: direct, then the HTTP tunnel of fallback; http: only the tunnel");
    static final DeviceSetting CONNECT_TIMEOUT =
            DeviceSetting.integer("connect-timeout", 10, 1, 600, "seconds an outgoing connection may take to open");
    static final DeviceSetting IDLE_TIMEOUT =
            DeviceSetting.integer("idle-timeout", 60, 3, 3600, "seconds of silence after which a link counts as lost");
    static final DeviceSetting RECONNECT_TIMEOUT =
            DeviceSetting.integer("reconnect-timeout", 30, 1, 3600, "seconds a lost link may take to come back");
    static final DeviceSetting MAX_MESSAGE =
            DeviceSetting.integer("max-message", 1 << 20, 1024, 16 << 20, "largest message in bytes");
    static final DeviceSetting TICKET = new DeviceSetting("ticket", DeviceSetting.Type.INTEGER, "0", 1, 24 * 60,
            List.of(), "minutes a Guest's ticket stays valid; unset for none");
    /** What {@link org.tandemrc.api.comm.CommunicationDevice#settings()} publishes. */
    static final List<DeviceSetting> ALL = List.of(
            DeviceSetting.text("manager", null, "Connection Managers, [tls:|tcp:]HOST[:PORT], comma-separated, tried in order"),
            DeviceSetting.text("account", null, "the WebConnect account"),
            DeviceSetting.secret("password", "the account's password"),
            DeviceSetting.text("password-file", null, "file whose first line is the account's password"),
            DeviceSetting.text("host-name", null, "the Host's name at the managers (old spelling host.name)"),
            TLS, DeviceSetting.text("trust", null, "file of certificates to trust for TLS"),
            DeviceSetting.text("trust-fingerprint", null, "SHA-256 fingerprints to trust, comma-separated"),
            TRANSPORT, DeviceSetting.text("fallback", "none", "none, http or http:ADDRESS[,ADDRESS] of the managers' HTTP tunnel"),
            DeviceSetting.text("proxy", null, "the web proxy of the HTTP tunnel, as the http device takes it"),
            DeviceSetting.text("proxy-user", null, "user for Basic proxy authentication"),
            DeviceSetting.secret("proxy-password", "password for Basic proxy authentication"),
            CONNECT_TIMEOUT, IDLE_TIMEOUT, RECONNECT_TIMEOUT, MAX_MESSAGE, TICKET,
            DeviceSetting.text("support-code", null, "a Host only: join the support session of this code (9 digits)"
                    + " instead of logging on with an account; the Host is then named support-CODE"));

    static Settings of(CommunicationProfile p, boolean needHostName) {
        List<String> managers = managers(p.text("manager", ""));
        String typedCode = p.text("support-code", null);
        String supportCode = typedCode == null ? null : Support.normalize(typedCode);
        if (typedCode != null && (supportCode == null || !needHostName)) {
            throw new IllegalArgumentException("profile '" + p.name() + "': support-code is " + (supportCode == null
                    ? "9 digits, not '" + typedCode + "'" : "for a Host, which joins the session with it"));
        }
        String account = supportCode != null ? "" : p.text("account", null);
        if (account == null) {
            throw new IllegalArgumentException("profile '" + p.name() + "': 'account' (the WebConnect account) is missing");
        }
        String pw = p.text("password", null);
        String file = p.text("password-file", null);
        if (pw == null && file != null) {
            try {
                pw = new String(PasswordFile.read(Path.of(file)));
            } catch (IOException e) {
                throw new IllegalArgumentException("profile '" + p.name() + "': cannot read password-file " + file + ": "
                        + e.getMessage());
            }
        }
        if (supportCode != null) {
            pw = ""; // the code is the credential
        } else if (pw == null || pw.isEmpty()) {
            throw new IllegalArgumentException("profile '" + p.name() + "': 'password' or 'password-file' is missing");
        }
        String host = supportCode != null ? Support.hostName(supportCode) : p.text("host-name", p.text("host.name", null));
        if (needHostName && host == null) {
            throw new IllegalArgumentException("profile '" + p.name() + "': 'host-name' is missing");
        }
        String tlsText = p.choice(TLS);
        String trust = p.text("trust", null);
        List<String> pins = new ArrayList<>();
        for (String pin : p.text("trust-fingerprint", "").split(",")) {
            if (!pin.isBlank()) {
                pins.add(pin.trim());
            }
        }
        List<String> tunnels = tunnels(p);
        String mode = p.choice(TRANSPORT);
        if (mode.equals("http") && tunnels == null) {
            throw new IllegalArgumentException("profile '" + p.name() + "': transport=http needs fallback=http or"
                    + " fallback=http:ADDRESS[,ADDRESS] (where the managers' HTTP tunnel listens)");
        }
        int connectSeconds = p.integer(CONNECT_TIMEOUT);
        java.util.Map<String, String> http = new java.util.HashMap<>();
        for (String key : List.of("proxy", "proxy-user", "proxy-password")) {
            String v = p.settings().get(key);
            if (v != null && !v.isBlank()) {
                http.put(key, v.trim());
            }
        }
        http.put("connect-timeout", Integer.toString(connectSeconds));
        Transport transport;
        try {
            transport = new Transport(tlsText.equals("true"), trust, List.copyOf(pins), tunnels, mode.equals("http"),
                    connectSeconds * 1000, new CommunicationProfile(p.name(), "http", http), p.name()).checked();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile '" + p.name() + "': " + e.getMessage(), e);
        }
        return new Settings(managers, account, pw.toCharArray(), host,
                p.integer(IDLE_TIMEOUT), p.integer(RECONNECT_TIMEOUT), p.integer(MAX_MESSAGE), transport,
                p.integer(TICKET), supportCode);
    }

    /**
     * {@code fallback}: {@code none} (default) → null; {@code http} → an empty list (each manager's host, port
     * 1970); {@code http:ADDRESS[,ADDRESS]} → those tunnel addresses ({@code HOST[:PORT][/PATH]}, port 1970 by
     * default), the i-th for the i-th manager, the last for the rest.
     */
    static List<String> tunnels(CommunicationProfile p) {
        String text = p.text("fallback", "none");
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("none")) {
            return null;
        }
        if (lower.equals("http")) {
            return List.of();
        }
        if (!lower.startsWith("http:")) {
            throw new IllegalArgumentException("profile '" + p.name() + "': fallback=" + text
                    + " is not none, http or http:ADDRESS[,ADDRESS]");
        }
        List<String> out = new ArrayList<>();
        for (String part : text.substring(5).split(",")) {
            String t = part.trim().replaceFirst("^(?i)http:", "").replaceFirst("^//", "");
            if (t.isEmpty()) {
                continue;
            }
            int slash = t.indexOf('/');
            String path = slash >= 0 ? t.substring(slash) : "";
            try {
                out.add(HostPort.parse(slash >= 0 ? t.substring(0, slash) : t, 1970, "HTTP tunnel address").authority() + path);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("profile '" + p.name() + "': fallback=" + text + ": " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("profile '" + p.name() + "': fallback=" + text + " names no address");
        }
        return List.copyOf(out);
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
