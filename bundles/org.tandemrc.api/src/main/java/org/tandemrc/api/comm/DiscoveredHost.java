package org.tandemrc.api.comm;

import java.util.Objects;

/**
 * A Host that answered a browse.
 *
 * @param name    the Host name it publishes
 * @param user    the user logged on at the Host, or empty when the Host does not publish it
 * @param address where a Guest connects, as {@code device:address}, e.g. {@code udp:10.1.0.7:6502}
 */
public record DiscoveredHost(String name, String user, String address) {
    public DiscoveredHost {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(address, "address");
    }
}
