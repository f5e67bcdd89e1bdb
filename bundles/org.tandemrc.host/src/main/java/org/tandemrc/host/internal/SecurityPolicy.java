package org.tandemrc.host.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;

/**
 * Guest Access Security settings of a Host, from {@code etc/org.tandemrc.host.security.cfg}, described by
 * {@link Config} (old hyphenated spellings of its keys are still read, with a warning). Every value is
 * checked; a bad one is refused in {@link SettingsCheck}'s style, naming the key and the value.
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
 * @param fallback          the Host's own method ({@code guest-id} or {@code shared-password}) that checks Guests while
 *                          the configured method's server (the Security Server, a directory) cannot be reached;
 *                          empty: such a logon is refused
 */
record SecurityPolicy(String method, String sharedRole, int maxAttempts, Action action, int lockoutMinutes,
        int authSeconds, int confirmSeconds, int inactivityMinutes, List<Network> allow, LogonLimits limits,
        Optional<String> fallback) {

    static final String SHARED_PASSWORD = "shared-password";
    static final String GUEST_ID = "guest-id";
    static final String PID = "org.tandemrc.host.security";
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    @ObjectClassDefinition(name = "Tandem Host security",
            description = "Guest Access Security of this Host: how Guests log on, wrong-password limits, timeouts "
                    + "and the addresses that may connect. Changes apply to the next logon.")
    @interface Config {
        @AttributeDefinition(name = "Access method", description = "shared-password (one password for every Guest), "
                + "guest-id (each Guest its own ID and password) or the name of an installed Authenticator service.")
        String method() default SHARED_PASSWORD;

        @AttributeDefinition(name = "Shared-password role", description = "The security role of Guests that use the "
                + "shared password: Full access, Attended support, View only, Inventory only, Remote management only,"
                + " or a custom role.")
        String shared_role() default "Full access";

        @AttributeDefinition(name = "Wrong passwords", description = "Wrong passwords allowed on one connection "
                + "before the action (0..9; 0 = no limit).")
        int max_attempts() default 3;

        @AttributeDefinition(name = "Action", description = "What happens after too many wrong passwords.",
                options = {@Option(label = "Disconnect", value = "disconnect"),
                        @Option(label = "Disable the Host until enabled again", value = "disable"),
                        @Option(label = "Lock the address out", value = "lockout")})
        String attempts_action() default "disconnect";

        @AttributeDefinition(name = "Lockout minutes", description = "How long lockout refuses the address (1..10000).")
        int lockout_minutes() default 10;

        @AttributeDefinition(name = "Logon timeout", description = "Seconds a Guest has to log on (1..3600).")
        int auth_timeout() default 30;

        @AttributeDefinition(name = "Confirm timeout", description = "Seconds the person at the Host has to confirm "
                + "access (1..3600).")
        int confirm_timeout() default 30;

        @AttributeDefinition(name = "Inactivity timeout", description = "Minutes without any Guest activity after "
                + "which the Guest is disconnected (0..10000; 0 = never).")
        int inactivity_timeout() default 0;

        @AttributeDefinition(name = "Allowed addresses", description = "Addresses and ranges allowed to connect, "
                + "e.g. 127.0.0.1, 10.0.0.0/8, ::1; none: any address.")
        String[] allow() default {};

        @AttributeDefinition(name = "Name", description = "How events and Guests name this Host; empty: the "
                + "computer's name.")
        String name() default "";

        @AttributeDefinition(name = "Fallback", description = "When the access method's server (the Security Server, "
                + "a directory) cannot be reached: refuse the Guest, or check the Guest with this Host's own method "
                + "(fallback.method).", options = {@Option(label = "Refuse", value = "refuse"),
                        @Option(label = "This Host's own method", value = "local")})
        String fallback() default "refuse";

        @AttributeDefinition(name = "Fallback method", description = "The Host's own method used by fallback = local: "
                + "guest-id or shared-password.")
        String fallback_method() default GUEST_ID;
    }

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
        return from(Map.of());
    }

    /**
     * The settings of {@code config}, the logon limits ({@code logon.*}) included.
     *
     * @throws IllegalArgumentException in {@link SettingsCheck}'s style, for the first bad value
     */
    static SecurityPolicy from(Map<String, ?> config) {
        Config c = TypedConfig.of(Config.class, PID, config);
        if (!LogonMethods.validName(c.method())) {
            throw CHECK.invalid("method", c.method(), "is not shared-password, guest-id or the name of an installed"
                    + " access method (a-z, 0-9, '.', '-')");
        }
        Action action;
        try {
            action = Action.valueOf(c.attempts_action().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CHECK.invalid("attempts.action", c.attempts_action(), "is not disconnect, disable or lockout");
        }
        List<Network> allow = new ArrayList<>();
        for (String part : c.allow()) {
            if (!part.isBlank()) {
                allow.add(network(part.trim()));
            }
        }
        Optional<String> fallback = switch (c.fallback().trim()) {
            case "refuse" -> Optional.empty();
            case "local" -> Optional.of(c.fallback_method().trim());
            default -> throw CHECK.invalid("fallback", c.fallback(), "is not refuse or local");
        };
        if (fallback.isPresent() && !fallback.get().equals(GUEST_ID) && !fallback.get().equals(SHARED_PASSWORD)) {
            throw CHECK.invalid("fallback.method", c.fallback_method(), "is not guest-id or shared-password");
        }
        return new SecurityPolicy(c.method(), c.shared_role(), CHECK.range("max.attempts", c.max_attempts(), 0, 9),
                action, CHECK.range("lockout.minutes", c.lockout_minutes(), 1, 10_000),
                CHECK.range("auth.timeout", c.auth_timeout(), 1, 3600),
                CHECK.range("confirm.timeout", c.confirm_timeout(), 1, 3600),
                CHECK.range("inactivity.timeout", c.inactivity_timeout(), 0, 10_000), List.copyOf(allow),
                limits(config), fallback);
    }

    private static LogonLimits limits(Map<String, ?> config) {
        try {
            return LogonLimits.from(config::get);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": " + e.getMessage());
        }
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
            throw CHECK.invalid("allow", text, "is not an IP address or range");
        }
        try {
            byte[] a = InetAddress.getByName(host).getAddress();
            int bits = p.length == 1 ? a.length * 8 : Integer.parseInt(p[1]);
            if (bits < 0 || bits > a.length * 8) {
                throw CHECK.invalid("allow", text, "has a prefix outside 0.." + a.length * 8);
            }
            return new Network(a, bits, text);
        } catch (UnknownHostException | NumberFormatException e) {
            throw CHECK.invalid("allow", text, "is not an IP address or range");
        }
    }
}
