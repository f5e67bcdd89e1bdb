package org.tandemrc.api.comm;

import java.io.IOException;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A name service a Guest asks where a Host is, for the address {@code NS::NAME}: the Security Server's
 * Name Server, with which Hosts register their names and dialable addresses, across networks that UDP
 * browsing ({@code H::NAME}) cannot reach.
 *
 * @since 2.1
 */
@ConsumerType
public interface NameResolver {

    /**
     * The addresses the Host named {@code name} registered, each {@code DEVICE:ADDRESS} as a Guest dials
     * it (e.g. {@code tcp:10.1.2.3:6502}), in the Host's order of preference.
     *
     * @return the addresses; empty when the service knows no Host of that name
     * @throws IOException when the name service cannot be asked now (unreachable, no answer in time)
     */
    List<String> resolve(String name) throws IOException;
}
