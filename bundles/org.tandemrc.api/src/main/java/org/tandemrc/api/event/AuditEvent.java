package org.tandemrc.api.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit record. Codes follow the reference event tables, e.g. {@code HSESRC+} (Host: remote
 * control session started) or {@code SECPW!} (invalid password).
 *
 * @param time     when it happened
 * @param code     the event code
 * @param severity how much it matters
 * @param node     the node that records it (Host or Guest name)
 * @param peer     the other side's name or address, may be empty
 * @param user     the authenticated user, may be empty
 * @param detail   free text, may be empty; never a password
 */
public record AuditEvent(Instant time, String code, Severity severity, String node, String peer, String user,
        String detail) {
    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(detail, "detail");
    }
}
