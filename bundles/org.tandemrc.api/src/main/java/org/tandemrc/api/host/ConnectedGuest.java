package org.tandemrc.api.host;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.tandemrc.api.security.Role;

/**
 * One Guest logged on to this Host now.
 *
 * @param id       names this connection among the Host's current ones (for {@link ConnectedGuests#disconnect})
 * @param name     the Guest's name as authenticated (its Guest ID, or the name its Guest gave)
 * @param address  where it connects from
 * @param role     its role on this Host
 * @param since    when it logged on
 * @param sessions the ids of the session types it has open now ({@code remote-control}, {@code remote-input},
 *                 {@code file-transfer}, {@code chat}, {@code tools}, ...), one entry per open session
 */
public record ConnectedGuest(String id, String name, String address, Role role, Instant since, List<String> sessions) {
    public ConnectedGuest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(since, "since");
        sessions = List.copyOf(sessions);
    }
}
