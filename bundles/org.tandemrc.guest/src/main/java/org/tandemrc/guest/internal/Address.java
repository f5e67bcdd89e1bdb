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
        String t = text.trim();
        int colon = t.indexOf(':');
        if (colon > 0 && !t.startsWith("[")) {
            String head = t.substring(0, colon);
            if (knownDevices.contains(head) || head.equals("tcp")) {
                return normalize(head, t.substring(colon + 1));
            }
        }
        return normalize("tcp", t);
    }

    private static Address normalize(String device, String target) {
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
