package org.tandemrc.comm.http.internal;

import java.util.List;
import java.util.Locale;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.support.comm.CommonSettings;

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
    static final DeviceSetting PORT = CommonSettings.port(HttpAddress.DEFAULT_PORT);
    static final DeviceSetting MODE = DeviceSetting.choice("mode", List.of("auto", "websocket", "http"),
            "auto: WebSocket, then streaming requests; websocket or http: only that");
    static final List<DeviceSetting> ALL = List.of(CommonSettings.BIND, PORT,
            DeviceSetting.text("path", DEFAULT_PATH, "the request path the tunnel uses"), MODE,
            DeviceSetting.text("proxy", "none", "none, system, or HOST:PORT of a web proxy"),
            DeviceSetting.text("proxy-user", null, "user for Basic proxy authentication"),
            DeviceSetting.secret("proxy-password", "password for Basic proxy authentication"),
            CommonSettings.MAX_MESSAGE, CommonSettings.CONNECT_TIMEOUT);

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
        mode = Mode.valueOf(profile.choice(MODE).toUpperCase(Locale.ROOT));
        String p = profile.text("path", DEFAULT_PATH);
        if (!p.startsWith("/") || p.contains("?") || p.contains("#") || p.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException(describe("path", p) + " must start with '/' and hold no query, spaces or non-ASCII characters");
        }
        path = p;
        maxMessage = profile.integer(CommonSettings.MAX_MESSAGE);
        connectTimeoutSeconds = profile.integer(CommonSettings.CONNECT_TIMEOUT);
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
