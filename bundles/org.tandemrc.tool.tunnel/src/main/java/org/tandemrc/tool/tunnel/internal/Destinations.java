package org.tandemrc.tool.tunnel.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one role's tunnels may go: a list of {@code HOST:PORT} rules, e.g.
 * {@code localhost:80, 127.0.0.1:5432, 10.0.0.0/8:22, [::1]:8000-8099, db.example:*, *:443}. HOST is a host name
 * (matched as the Guest wrote it, case aside), an address or a network in CIDR form (matched against every
 * address the Guest's name resolves to), IPv6 in brackets, or {@code *} for anywhere; PORT a port, a range
 * {@code LOW-HIGH} or {@code *}. The Guest's name is resolved once and the connection goes to the address that
 * was checked, so a name that resolves differently a moment later reaches nothing unchecked.
 */
final class Destinations {

    /** The longest host name DNS allows. */
    static final int MAX_NAME = 253;
    /** At most this many rules per role: a list an administrator writes, not a database. */
    static final int MAX_RULES = 256;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*");
    private static final Pattern IPV4 = Pattern.compile("(?:\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern RULE = Pattern.compile("(\\*|\\[[^\\]]{1,60}\\](?:/\\d{1,3})?|[^:\\[\\]]{1,253}):(\\*|\\d{1,5}(?:-\\d{1,5})?)");

    /** One rule: a name (lower case) or a network, and a port range. */
    record Rule(String name, byte[] network, int prefix, int low, int high) {

        boolean ports(int port) {
            return port >= low && port <= high;
        }

        boolean any() {
            return name.equals("*");
        }

        boolean covers(InetAddress a) {
            byte[] b = a.getAddress();
            if (network == null || b.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < b.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((b[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Rule> rules;

    private Destinations(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static final Destinations NONE = new Destinations(List.of());

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Reads a role's rules, comma- or space-separated.
     *
     * @param problems gets a sentence for each rule that is not understood (that rule is left out)
     */
    static Destinations parse(String text, List<String> problems) {
        List<Rule> rules = new ArrayList<>();
        for (String item : text.trim().split("[,\\s]+")) {
            if (item.isEmpty()) {
                continue;
            }
            if (rules.size() == MAX_RULES) {
                problems.add("more than " + MAX_RULES + " destinations; the rest are left out");
                break;
            }
            try {
                rules.add(rule(item));
            } catch (IllegalArgumentException e) {
                problems.add("'" + item + "' is left out: " + e.getMessage());
            }
        }
        return new Destinations(rules);
    }

    private static Rule rule(String item) {
        Matcher m = RULE.matcher(item);
        if (!m.matches()) {
            throw new IllegalArgumentException("not HOST:PORT");
        }
        int low;
        int high;
        String ports = m.group(2);
        if (ports.equals("*")) {
            low = 1;
            high = 65535;
        } else {
            int dash = ports.indexOf('-');
            low = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
            high = dash < 0 ? low : Integer.parseInt(ports.substring(dash + 1));
            if (low < 1 || high > 65535 || low > high) {
                throw new IllegalArgumentException("ports are 1 to 65535, low to high");
            }
        }
        String host = m.group(1);
        if (host.equals("*")) {
            return new Rule("*", null, 0, low, high);
        }
        int slash = host.lastIndexOf('/');
        String address = slash < 0 ? host : host.substring(0, slash);
        boolean bracketed = address.startsWith("[");
        if (bracketed) {
            address = address.substring(1, address.length() - 1);
        }
        if (bracketed ? IPV6.matcher(address).matches() && address.contains(":") : IPV4.matcher(address).matches()) {
            byte[] network = literal(address);
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(host.substring(slash + 1));
            if (prefix > network.length * 8) {
                throw new IllegalArgumentException("a /" + prefix + " network is longer than the address");
            }
            return new Rule(address, network, prefix, low, high);
        }
        if (slash >= 0 || bracketed || !NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("not a host name, an address or a network");
        }
        return new Rule(host.toLowerCase(Locale.ROOT), null, 0, low, high);
    }

    /** The bytes of an address literal; never a DNS query. */
    private static byte[] literal(String address) {
        if (!address.contains(":")) {
            for (String part : address.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
                }
            }
        }
        try {
            // A literal (checked above: digits, dots, colons) is parsed, not looked up.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + address + "' is not an address");
        }
    }

    /**
     * Checks the Guest's {@code host} (a name or an address literal) before anything is resolved: only names and
     * literals pass, so no URL, path or option reaches the resolver.
     *
     * @return the host as the resolver takes it (an IPv6 literal without brackets)
     * @throws IllegalArgumentException with the reason
     */
    static String checked(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.isEmpty() || h.length() > MAX_NAME) {
            throw new IllegalArgumentException("a host is 1 to " + MAX_NAME + " characters");
        }
        if (IPV4.matcher(h).matches()) {
            literal(h);
            return h;
        }
        if (h.contains(":") ? IPV6.matcher(h).matches() : NAME.matcher(h).matches()) {
            return h;
        }
        throw new IllegalArgumentException("'" + host + "' is not a host name or an address");
    }

    /**
     * The address a tunnel to {@code host:port} may reach: the first of {@code resolved} (the addresses
     * {@code host} resolved to) that a rule allows, or null when none is allowed.
     */
    InetAddress allowed(String host, int port, List<InetAddress> resolved) {
        String name = host.toLowerCase(Locale.ROOT);
        for (InetAddress a : resolved) {
            for (Rule r : rules) {
                if (r.ports(port) && (r.any() || r.covers(a) || r.network() == null && r.name().equals(name))) {
                    return a;
                }
            }
        }
        return null;
    }
}
