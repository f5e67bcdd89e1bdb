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
 * @param oneTimeCode      the one-time code (second factor) for a Host whose access method asks for one, or
 *                         {@code null} (since 1.4); a Host that asks for none is never sent it
 */
public record ConnectRequest(String address, @Nullable String guestId, char[] password, boolean acceptChangedKey,
        String profile, @Nullable String oneTimeCode) {

    /**
     * How the message of the {@link GuestException.Reason#LOGON_REFUSED} failure begins when the Host asks for
     * a one-time code the request lacks: a front end that can ask for one asks, and connects again with it.
     *
     * @since 1.4
     */
    public static final String CODE_REQUIRED = "this Host requires a one-time code";

    public ConnectRequest {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(password, "password");
        profile = profile == null ? "" : profile.trim();
        oneTimeCode = oneTimeCode == null || oneTimeCode.isBlank() ? null : oneTimeCode.trim();
    }

    /** A request without a one-time code. */
    public ConnectRequest(String address, @Nullable String guestId, char[] password, boolean acceptChangedKey,
            String profile) {
        this(address, guestId, password, acceptChangedKey, profile, null);
    }

    /** A request with the device's own profile. */
    public ConnectRequest(String address, @Nullable String guestId, char[] password, boolean acceptChangedKey) {
        this(address, guestId, password, acceptChangedKey, "", null);
    }
}
