package org.tandemrc.api.testing;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.security.Privilege;

/**
 * What a test's in-memory Host connection says about itself, and whether it is closed; a subclass says how
 * it opens sessions. Closing completes {@link #closed()} once.
 */
public abstract class DescribedHost implements HostConnection {
    private final String address;
    private final String hostName;
    private final String fingerprint;
    private final String keyNote;
    private final String role;
    private final Set<Privilege> privileges;
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    protected DescribedHost(String address, String hostName, String fingerprint, String keyNote, String role,
            Set<Privilege> privileges) {
        this.address = address;
        this.hostName = hostName;
        this.fingerprint = fingerprint;
        this.keyNote = keyNote;
        this.role = role;
        this.privileges = Set.copyOf(privileges);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String keyNote() {
        return keyNote;
    }

    @Override
    public String role() {
        return role;
    }

    @Override
    public Set<Privilege> privileges() {
        return privileges;
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public CompletionStage<String> closed() {
        return closed;
    }

    @Override
    public void close(String reason) {
        closed.complete(reason);
    }
}
