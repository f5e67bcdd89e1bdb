package org.tandemrc.guest.internal;

import java.util.Set;

/**
 * A Host address as users write it: {@code [DEVICE:]HOST[:PORT]}, e.g. {@code tcp:127.0.0.1:6502},
 * {@code 127.0.0.1}, {@code [::1]:7000}. Without a device it is {@code tcp}; without a port, 6502.
 *
 * @param device the communication device type
 * @param target the address in the device's syntax
 */
record Address(String device, String target) {

    static Address parse(String text, Set<String> knownDevices) {
        return parse(text, knownDevices, null);
    }

    /**
     * @param defaultDevice the device when the text names none (that of a chosen profile), or null
     *                      for {@code tcp}
     */
    static Address parse(String text, Set<String> knownDevices, String defaultDevice) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("no Host address given");
        }
        int colon = t.indexOf(':');
        if (colon > 0 && !t.startsWith("[") && !QUALIFIED.matcher(t).lookingAt()) {
            String head = t.substring(0, colon);
            if (knownDevices.contains(head) || head.equals("tcp")) {
                return normalize(head, t.substring(colon + 1));
            }
        }
        return normalize(defaultDevice == null ? "tcp" : defaultDevice, t);
    }

    /** The Host name qualifiers: by DNS, by Host name, by logged-on user. */
    private static final java.util.regex.Pattern QUALIFIED =
            java.util.regex.Pattern.compile("(?i)(DNS|H|U)::");

    private static Address normalize(String device, String target) {
        java.util.regex.Matcher q = QUALIFIED.matcher(target);
        if (q.lookingAt()) {
            String qualifier = q.group(1).toUpperCase(java.util.Locale.ROOT);
            String name = target.substring(q.end());
            if (name.isBlank()) {
                throw new IllegalArgumentException(qualifier + ":: needs a name after it, e.g. " + qualifier + "::"
                        + (qualifier.equals("U") ? "alice" : "pc-17"));
            }
            if (!qualifier.equals("DNS")) {
                if (device.equals("tcp")) {
                    throw new IllegalArgumentException("the tcp device cannot find a Host by "
                            + (qualifier.equals("U") ? "user" : "name") + "; use udp:" + qualifier + "::" + name
                            + " (the udp device asks the network) or the Host's address");
                }
                return new Address(device, qualifier + "::" + name);
            }
            target = name; // a DNS name: resolved by the device like any host name
        }
        if (device.equals("tcp")) {
            boolean v6 = target.startsWith("[");
            boolean hasPort = v6 ? target.contains("]:") : target.indexOf(':') > 0 && target.indexOf(':') == target.lastIndexOf(':');
            if (!v6 && target.indexOf(':') != target.lastIndexOf(':')) {
                target = "[" + target + "]";
                hasPort = false;
            }
            if (!hasPort) {
                target = target + ":6502";
            }
        }
        return new Address(device, target);
    }

    @Override
    public String toString() {
        return device + ":" + target;
    }
}
