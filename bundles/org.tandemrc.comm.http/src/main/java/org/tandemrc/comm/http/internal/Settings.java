package org.tandemrc.comm.http.internal;

import java.util.Locale;

import org.tandemrc.api.comm.CommunicationProfile;

/** The settings of an {@code http} profile, checked once, with errors that name the profile and setting. */
final class Settings {

    /** How the connecting side carries messages. */
    enum Mode {
        /** WebSocket, and streaming requests when the upgrade is refused or stripped on the way. */
        AUTO,
        WEBSOCKET,
        HTTP
    }

    static final String DEFAULT_PATH = "/tandem";

    final CommunicationProfile profile;
    final Mode mode;
    final String path;
    final int maxMessage;
    final int connectTimeoutSeconds;
    final String proxy;
    final String proxyUser;
    final String proxyPassword;

    Settings(CommunicationProfile profile) {
        this.profile = profile;
        String m = profile.text("mode", "auto").toLowerCase(Locale.ROOT);
        switch (m) {
            case "auto":
                mode = Mode.AUTO;
                break;
            case "websocket":
                mode = Mode.WEBSOCKET;
                break;
            case "http":
                mode = Mode.HTTP;
                break;
            default:
                throw new IllegalArgumentException(describe("mode", m) + " is not auto, websocket or http");
        }
        String p = profile.text("path", DEFAULT_PATH);
        if (!p.startsWith("/") || p.contains("?") || p.contains("#") || p.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException(describe("path", p) + " must start with '/' and hold no query, spaces or non-ASCII characters");
        }
        path = p;
        maxMessage = profile.integer("max-message", 1 << 20, 1024, 64 << 20);
        connectTimeoutSeconds = profile.integer("connect-timeout", 10, 1, 600);
        proxy = profile.text("proxy", "none");
        proxyUser = profile.text("proxy-user", null);
        proxyPassword = profile.settings().getOrDefault("proxy-password", "");
        if (proxyUser != null && proxyUser.contains(":")) {
            throw new IllegalArgumentException(describe("proxy-user", proxyUser) + " must not contain ':' (Basic authentication)");
        }
    }

    String describe(String key, String value) {
        return "profile '" + profile.name() + "': " + key + "=" + value;
    }
}
