package org.tandemrc.guest.internal;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tandemrc.api.comm.NameResolver;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;

/**
 * The address {@code NS::NAME}: a Host found by the name it registered with a name service (the
 * Security Server), as the first of its registered addresses whose device this Guest has.
 */
final class NamedHosts {

    private static final Pattern NAMED = Pattern.compile("(?i)NS::(.+)");

    private NamedHosts() {
    }

    /** The address to dial: {@code text} itself unless it is {@code NS::NAME}. */
    static String resolve(String text, List<NameResolver> resolvers, Set<String> devices) throws GuestException {
        Matcher m = NAMED.matcher(text.trim());
        if (!m.matches()) {
            return text;
        }
        String name = m.group(1).trim();
        if (name.isEmpty() || name.length() > 128 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new GuestException(Reason.INVALID_REQUEST, "NS:: needs a Host name of 1 to 128 printable characters after it");
        }
        if (resolvers.isEmpty()) {
            throw new GuestException(Reason.NOT_INSTALLED, "NS::" + name + " needs a name service: configure this Guest's"
                    + " Security Server client (etc/org.tandemrc.security.client.cfg, feature security-client)");
        }
        for (NameResolver r : resolvers) {
            List<String> found;
            try {
                found = r.resolve(name);
            } catch (IOException e) {
                throw new GuestException(Reason.UNREACHABLE, "cannot ask the name service where " + name + " is: "
                        + e.getMessage());
            }
            for (String a : found) {
                int colon = a.indexOf(':');
                if (colon > 0 && devices.contains(a.substring(0, colon))) {
                    return a;
                }
            }
            if (!found.isEmpty()) {
                throw new GuestException(Reason.NOT_INSTALLED, "the Host " + name + " is at " + String.join(", ", found)
                        + ", and none of those devices is installed on this Guest");
            }
        }
        throw new GuestException(Reason.NOT_FOUND, "the name service knows no Host named " + name);
    }
}
