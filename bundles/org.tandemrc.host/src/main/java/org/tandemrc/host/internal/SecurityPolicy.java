package org.tandemrc.host.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.logon.LogonMethods;

/**
 * Guest Access Security settings of a Host, from {@code etc/org.tandemrc.host.security.cfg}. Every
 * value is checked; a bad one is reported with its key and the allowed values.
 *
 * @param method            {@code shared-password}, {@code guest-id}, or the name of an Authenticator service
 * @param sharedRole        the role of Guests that log on with the shared password
 * @param maxAttempts       wrong passwords allowed on one connection before {@code action} (0-9, 0: no limit)
 * @param action            what happens when the limit is reached
 * @param lockoutMinutes    how long a source address is locked out ({@link Action#LOCKOUT})
 * @param authSeconds       time a Guest has to log on
 * @param confirmSeconds    time the person at the Host has to confirm access
 * @param inactivityMinutes idle time after which a Guest is disconnected (0: never)
 * @param allow             addresses allowed to connect; empty allows all
 * @param limits            the logon limits ({@code logon.*} keys): guesses per address and per Host, connections
 *                          waiting to log on, challenges per address, the answer time
 */
record SecurityPolicy(String method, String sharedRole, int maxAttempts, Action action, int lockoutMinutes,
        int authSeconds, int confirmSeconds, int inactivityMinutes, List<Network> allow, LogonLimits limits) {

    static final String SHARED_PASSWORD = "shared-password";
    static final String GUEST_ID = "guest-id";

    /** What happens after too many wrong passwords. */
    enum Action {
        /** Close the connection. */
        DISCONNECT,
        /** Refuse every Guest until an administrator enables the Host again. */
        DISABLE,
        /** Refuse the source address for a while. */
        LOCKOUT
    }

    /** An address range: an address and how many leading bits must match. */
    record Network(byte[] address, int bits, String text) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != address.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != address[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (address[full] & mask);
        }
    }

    static SecurityPolicy defaults() {
        return new SecurityPolicy(SHARED_PASSWORD, "Full access", 3, Action.DISCONNECT, 10, 30, 30, 0, List.of(),
                LogonLimits.defaults());
    }

    static SecurityPolicy from(Map<String, ?> config) {
        SecurityPolicy d = defaults();
        String method = text(config, "method", d.method());
        if (!LogonMethods.validName(method)) {
            throw new IllegalArgumentException("method=" + method + ": use shared-password, guest-id or the name of"
                    + " an installed access method (a-z, 0-9, '.', '-')");
        }
        String actionText = text(config, "attempts.action", "disconnect").toUpperCase(Locale.ROOT);
        Action action;
        try {
            action = Action.valueOf(actionText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attempts.action=" + actionText.toLowerCase(Locale.ROOT)
                    + ": use disconnect, disable or lockout");
        }
        List<Network> allow = new ArrayList<>();
        for (String part : text(config, "allow", "").split(",")) {
            if (!part.isBlank()) {
                allow.add(network(part.trim()));
            }
        }
        return new SecurityPolicy(method, text(config, "shared.role", d.sharedRole()),
                number(config, "max.attempts", d.maxAttempts(), 0, 9), action,
                number(config, "lockout.minutes", d.lockoutMinutes(), 1, 10_000),
                number(config, "auth.timeout", d.authSeconds(), 1, 3600),
                number(config, "confirm.timeout", d.confirmSeconds(), 1, 3600),
                number(config, "inactivity.timeout", d.inactivityMinutes(), 0, 10_000), List.copyOf(allow),
                LogonLimits.from(config::get));
    }

    /** Whether a peer address (ip:port or [v6]:port) may connect. */
    boolean allows(String remote) {
        if (allow.isEmpty()) {
            return true;
        }
        try {
            InetAddress a = InetAddress.getByName(host(remote));
            return allow.stream().anyMatch(n -> n.contains(a));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The host part of {@code ip:port} or {@code [v6]:port}. */
    static String host(String remote) {
        if (remote.startsWith("[")) {
            return remote.substring(1, remote.indexOf(']'));
        }
        int colon = remote.lastIndexOf(':');
        return colon < 0 ? remote : remote.substring(0, colon);
    }

    static Network network(String text) {
        String[] p = text.split("/", 2);
        String host = p[0];
        if (!host.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("allow: '" + text + "' is not an IP address or range");
        }
        try {
            byte[] a = InetAddress.getByName(host).getAddress();
            int bits = p.length == 1 ? a.length * 8 : Integer.parseInt(p[1]);
            if (bits < 0 || bits > a.length * 8) {
                throw new IllegalArgumentException("allow: '" + text + "' has a prefix outside 0.." + a.length * 8);
            }
            return new Network(a, bits, text);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("allow: '" + text + "' is not an IP address or range");
        }
    }

    private static String text(Map<String, ?> config, String key, String fallback) {
        Object v = config.get(key);
        return v == null || String.valueOf(v).isBlank() ? fallback : String.valueOf(v).trim();
    }

    private static int number(Map<String, ?> config, String key, int fallback, int min, int max) {
        String v = text(config, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + "=" + v + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + v + " is not a whole number");
        }
    }
}
