package org.tandemrc.api.guest;

import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * What a Guest needs to reach and log on to a Host.
 *
 * @param address          a Host address as people write it, e.g. {@code tcp:127.0.0.1:6502}
 * @param guestId          the Guest ID to log on as, or {@code null} for the Host's shared password
 * @param password         the password; the Guest clears its own copy after the logon
 * @param acceptChangedKey whether a Host whose identity key changed since it was pinned is accepted
 *                         (and the new key pinned); refuse unless the person confirmed the new key
 * @param profile          the name of the node's communication profile to connect with (its device is
 *                         used when the address names none), or empty for the enabled profile of the
 *                         address's device
 */
public record ConnectRequest(String address, @Nullable String guestId, char[] password, boolean acceptChangedKey,
        String profile) {
    public ConnectRequest {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(password, "password");
        profile = profile == null ? "" : profile.trim();
    }

    /** A request with the device's own profile. */
    public ConnectRequest(String address, @Nullable String guestId, char[] password, boolean acceptChangedKey) {
        this(address, guestId, password, acceptChangedKey, "");
    }
}
