package org.tandemrc.api.adhoc;

/**
 * How a joined support session ended.
 *
 * @param by     who or what ended it
 * @param reason the manager's words (or the Host's, when the person ended it), for the person to read
 */
public record JoinedSupportEnded(By by, String reason) {

    /** Who or what ended a session. */
    public enum By {
        /** The person at the temporary Host: End support, or refusing the supporter. */
        PERSON,
        /** The supporter: End session now. */
        SUPPORTER,
        /** Its lifetime ran out, or it ended where this Host cannot tell by whom. */
        OVER
    }

    public JoinedSupportEnded {
        java.util.Objects.requireNonNull(by, "by");
        java.util.Objects.requireNonNull(reason, "reason");
    }
}
