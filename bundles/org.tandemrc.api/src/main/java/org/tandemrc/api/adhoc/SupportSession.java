package org.tandemrc.api.adhoc;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One support session as the Connection Manager answered it (every component but {@code ends} non-null).
 *
 * @param code        the connection code, nine digits
 * @param supporter   the supporter's name, as the person at the temporary Host sees it
 * @param codeExpires until when a temporary Host may join with the code (only while {@code waiting})
 * @param lifetime    how long the session lasts once a Host joined
 * @param ends        when the session ends, or null while no Host joined
 * @param state       {@code waiting} (for a Host to join), {@code active} (a Host joined), {@code cancelled}
 *                    or {@code ended}
 * @param link        the page the person opens to download the temporary Host, or empty when the manager
 *                    serves none
 * @param profile     the webconnect profile the session was made through
 */
public record SupportSession(String code, String supporter, Instant codeExpires, Duration lifetime,
        @Nullable Instant ends, String state, String link, String profile) {

    public static final String WAITING = "waiting";
    public static final String ACTIVE = "active";
    public static final String CANCELLED = "cancelled";
    public static final String ENDED = "ended";

    /** The code as read out: {@code 123 456 789}. */
    public String displayCode() {
        return code.length() == 9 ? code.substring(0, 3) + " " + code.substring(3, 6) + " " + code.substring(6) : code;
    }

    /** The address a Guest connects to, through {@link #profile()}, once a Host joined: {@code support:CODE}. */
    public String address() {
        return "support:" + code;
    }

    /** Whether a Host joined and the session still runs: the supporter may connect. */
    public boolean active() {
        return state.equals(ACTIVE);
    }
}
