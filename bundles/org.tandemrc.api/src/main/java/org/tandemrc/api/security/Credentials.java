package org.tandemrc.api.security;

import org.jspecify.annotations.Nullable;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a Guest presented to log on. Authenticators that must see a password (OS accounts, directory
 * bind) receive it only inside the encrypted channel. Call {@link #clear()} when done with it.
 */
public final class Credentials {

    private final @Nullable String guestId;
    private final char[] password;
    private final String sourceAddress;

    /**
     * @param guestId       the Guest ID or user name; {@code null} for the shared-password method
     * @param password      the password; copied, so the caller may clear its own array
     * @param sourceAddress the address the Guest connects from, in the device's syntax
     */
    public Credentials(@Nullable String guestId, char @Nullable [] password, @Nullable String sourceAddress) {
        this.guestId = guestId;
        this.password = password == null ? new char[0] : password.clone();
        this.sourceAddress = sourceAddress == null ? "" : sourceAddress;
    }

    /** The Guest ID or user name, when the access method uses one. */
    public Optional<String> guestId() {
        return Optional.ofNullable(guestId);
    }

    /** A copy of the password; the caller clears it after use. */
    public char[] password() {
        return password.clone();
    }

    /** The address the Guest connects from. */
    public String sourceAddress() {
        return sourceAddress;
    }

    /** Overwrites the password held by this object. */
    public void clear() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "Credentials[" + (guestId == null ? "shared" : guestId) + " from " + sourceAddress + "]";
    }
}
