package org.tandemrc.comm.http.internal;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web proxy a connection goes through, from a profile's {@code proxy} setting: {@code none},
 * {@code system} (the JVM's default {@link ProxySelector}, then the {@code http_proxy}/{@code no_proxy}
 * environment variables), or {@code HOST:PORT}.
 *
 * @param address  where the proxy listens, unresolved; {@code null} for a direct connection
 * @param user     the Basic authentication user, or {@code null}
 * @param password the Basic authentication password
 */
record ProxyChoice(InetSocketAddress address, String user, String password) {

    static final ProxyChoice DIRECT = new ProxyChoice(null, null, null);

    boolean direct() {
        return address == null;
    }

    /** {@code host:port} of the proxy, for messages. */
    String shown() {
        return address == null ? "(none)" : address.getHostString() + ":" + address.getPort();
    }

    /**
     * @param env the process environment (a parameter so tests can pass their own)
     * @throws IllegalArgumentException naming the profile and setting when the setting is invalid
     */
    static ProxyChoice choose(Settings settings, HttpAddress target, ProxySelector selector, Map<String, String> env) {
        String value = settings.proxy;
        ProxyChoice chosen;
        if (value.equalsIgnoreCase("none")) {
            return DIRECT;
        } else if (value.equalsIgnoreCase("system")) {
            chosen = fromSelector(selector, target);
            if (chosen == null) {
                chosen = fromEnvironment(env, target, settings);
            }
            if (chosen == null) {
                return DIRECT;
            }
        } else {
            HttpAddress a;
            try {
                a = HttpAddress.parse(value, 0);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(settings.describe("proxy", value) + " is not none, system or HOST:PORT");
            }
            if (a.port() == 0 || a.path() != null) {
                throw new IllegalArgumentException(settings.describe("proxy", value) + " is not none, system or HOST:PORT");
            }
            chosen = new ProxyChoice(InetSocketAddress.createUnresolved(a.host(), a.port()), null, null);
        }
        if (settings.proxyUser != null) {
            return new ProxyChoice(chosen.address, settings.proxyUser, settings.proxyPassword);
        }
        return chosen;
    }

    private static ProxyChoice fromSelector(ProxySelector selector, HttpAddress target) {
        if (selector == null) {
            return null;
        }
        List<Proxy> proxies;
        try {
            proxies = selector.select(URI.create("http://" + target.authority() + "/"));
        } catch (RuntimeException e) {
            return null;
        }
        for (Proxy p : proxies) {
            if (p.type() == Proxy.Type.HTTP) {
                SocketAddress a = p.address();
                if (a instanceof InetSocketAddress isa) {
                    return new ProxyChoice(InetSocketAddress.createUnresolved(isa.getHostString(), isa.getPort()), null, null);
                }
            }
        }
        return null;
    }

    private static ProxyChoice fromEnvironment(Map<String, String> env, HttpAddress target, Settings settings) {
        String url = first(env, "http_proxy", "HTTP_PROXY");
        if (url == null || url.isBlank()) {
            return null;
        }
        String noProxy = first(env, "no_proxy", "NO_PROXY");
        if (noProxy != null && bypasses(noProxy, target.host())) {
            return null;
        }
        String s = url.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            String credentials = s.substring(0, at);
            s = s.substring(at + 1);
            int colon = credentials.indexOf(':');
            user = URLDecoder.decode(colon < 0 ? credentials : credentials.substring(0, colon), StandardCharsets.UTF_8);
            password = colon < 0 ? "" : URLDecoder.decode(credentials.substring(colon + 1), StandardCharsets.UTF_8);
        }
        HttpAddress a;
        try {
            a = HttpAddress.parse(s, 80);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile '" + settings.profile.name() + "': proxy=system, but the environment's http_proxy="
                    + url + " is not a proxy URL");
        }
        return new ProxyChoice(InetSocketAddress.createUnresolved(a.host(), a.port()), user, password);
    }

    private static String first(Map<String, String> env, String a, String b) {
        String v = env.get(a);
        return v != null ? v : env.get(b);
    }

    /** Whether {@code no_proxy} (comma-separated names, domain suffixes, or {@code *}) covers the host. */
    static boolean bypasses(String noProxy, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy.split(",")) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.equals("*")) {
                return true;
            }
            int colon = e.lastIndexOf(':');
            if (colon > 0 && e.indexOf(':') == colon) {
                e = e.substring(0, colon); // name:port - the port is not checked
            }
            if (e.startsWith("*.")) {
                e = e.substring(1);
            }
            if (h.equals(e) || (e.startsWith(".") ? h.endsWith(e) : h.endsWith("." + e))) {
                return true;
            }
        }
        return false;
    }
}
