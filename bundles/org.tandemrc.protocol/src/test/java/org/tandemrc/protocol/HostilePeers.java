package org.tandemrc.protocol;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionType;

/**
 * Hostile Guests against one session type whose victim connections end after each test, so the Host
 * side's threads do not outlive it: {@code @RegisterExtension final HostilePeers peers = new HostilePeers(type, privileges);}.
 */
public final class HostilePeers implements AfterEachCallback {

    private final SessionType type;
    private final Set<Privilege> privileges;
    private final List<HostilePeer> peers = new CopyOnWriteArrayList<>();

    public HostilePeers(SessionType type, Set<Privilege> privileges) {
        this.type = type;
        this.privileges = privileges;
    }

    /** A hostile Guest named {@code name} against the session type, its randomness from {@code seed}. */
    public HostilePeer guest(String name, long seed) {
        HostilePeer p = HostilePeer.guestAgainst(type, privileges, name, new Random(seed));
        peers.add(p);
        return p;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (HostilePeer p : peers) {
            p.victim().close("test over");
        }
        peers.clear();
    }
}
