package org.tandemrc.session.remotecontrol.internal;

import java.util.List;

import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.Side;

/** What the screen and input sessions share: choosing the Host's backend, and refusing to open on a Guest. */
final class HostBackends {

    private HostBackends() {
    }

    /**
     * The service bound last, or null: a screen or input bundle started later (X11 after the AWT fallback)
     * replaces the one before it. Iterating a copy-on-write list sees one snapshot, so an unbind cannot race it.
     */
    static <T> T newest(List<T> bound) {
        T last = null;
        for (T t : bound) {
            last = t;
        }
        return last;
    }

    /** Closes a channel opened on the Guest side, where these sessions are used through RemoteScreens. */
    static boolean refusedOnGuest(SessionContext context, String reason) {
        if (context.side() != Side.GUEST) {
            return false;
        }
        context.channel().close(reason);
        return true;
    }
}
