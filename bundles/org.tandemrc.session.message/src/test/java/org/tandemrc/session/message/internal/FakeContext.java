package org.tandemrc.session.message.internal;

import java.util.List;
import java.util.Set;

import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.Side;

record FakeContext(Side side, Channel channel, String guestName, String hostName, List<String> arguments)
        implements SessionContext {
    @Override
    public Set<Privilege> privileges() {
        return Set.of(Privilege.SEND_MESSAGE);
    }
}
