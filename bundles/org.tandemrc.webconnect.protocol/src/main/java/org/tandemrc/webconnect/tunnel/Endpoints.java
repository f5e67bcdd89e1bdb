package org.tandemrc.webconnect.tunnel;

import java.util.Locale;

/**
 * Where a manager or relay is reached: its TCP address ({@code [tls:|tcp:]HOST:PORT}) and, when it also
 * listens through the {@code http} device, its tunnel address ({@code http:HOST:PORT[/PATH]}), written
 * one after the other separated by a space: {@code tls:relay.example:6591 http:relay.example:443/tandem}.
 * TLS, when the TCP address says {@code tls:}, runs inside the tunnel too. A single address (as relays
 * before the tunnel advertised) has no tunnel.
 *
 * @param tcp  the TCP address with its scheme as written, or null when only a tunnel is given
 * @param http the tunnel address without {@code http:}, in the {@code http} device's syntax, or null
 */
public record Endpoints(String tcp, String http) {

    /**
     * @throws IllegalArgumentException when the text is empty or names two TCP or two tunnel addresses
     */
    public static Endpoints parse(String text) {
        String tcp = null;
        String http = null;
        for (String part : text == null ? new String[0] : text.trim().split("\\s+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.toLowerCase(Locale.ROOT).startsWith("http:")) {
                if (http != null) {
                    throw new IllegalArgumentException("address '" + text + "' names two http addresses");
                }
                http = part.substring(5).replaceFirst("^//", "");
                if (http.isEmpty()) {
                    throw new IllegalArgumentException("address '" + text + "' has an empty http address");
                }
            } else {
                if (tcp != null) {
                    throw new IllegalArgumentException("address '" + text + "' names two TCP addresses");
                }
                tcp = part;
            }
        }
        if (tcp == null && http == null) {
            throw new IllegalArgumentException("empty address");
        }
        return new Endpoints(tcp, http);
    }

    /** The address as advertised: {@code TCP http:TUNNEL}, either part alone when the other is missing. */
    @Override
    public String toString() {
        return tcp == null ? "http:" + http : http == null ? tcp : tcp + " http:" + http;
    }
}
