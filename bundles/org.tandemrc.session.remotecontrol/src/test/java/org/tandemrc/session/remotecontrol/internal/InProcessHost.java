package org.tandemrc.session.remotecontrol.internal;

import java.util.Set;

import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.security.Privilege;

/** What a test's Host connection says about itself: the Host "host", no key, and the address and role given. */
abstract class InProcessHost implements HostConnection {

    private final String address;
    private final String keyNote;
    private final String role;
    private final Set<Privilege> privileges;

    InProcessHost(String address, String keyNote, String role, Set<Privilege> privileges) {
        this.address = address;
        this.keyNote = keyNote;
        this.role = role;
        this.privileges = privileges;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public String hostName() {
        return "host";
    }

    @Override
    public String fingerprint() {
        return "none";
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
}
