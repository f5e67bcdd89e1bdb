package org.tandemrc.api.testing;

import java.util.List;
import java.util.Set;

import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.Side;

/** A session's context for unit tests of session types, without a connection. */
public record FakeContext(Side side, Channel channel, String guestName, String hostName, List<String> arguments,
        Set<Privilege> privileges, String peerAddress, String roleName) implements SessionContext {

    /** A context without a role name. */
    public FakeContext(Side side, Channel channel, String guestName, String hostName, List<String> arguments,
            Set<Privilege> privileges, String peerAddress) {
        this(side, channel, guestName, hostName, arguments, privileges, peerAddress, "");
    }

    /** A context whose peer address is not known. */
    public FakeContext(Side side, Channel channel, String guestName, String hostName, List<String> arguments,
            Set<Privilege> privileges) {
        this(side, channel, guestName, hostName, arguments, privileges, "");
    }
}
