package org.tandemrc.session.chat.internal;

import java.nio.ByteBuffer;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.TandemSessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.protocol.codec.WireText;
import org.tandemrc.api.user.Conversation;
import org.tandemrc.api.user.LocalUser;
import org.tandemrc.toolkit.session.LocalUserSessionType;

/**
 * The {@code chat} session. Both sides work alike: the person at each node converses through its
 * {@link LocalUser}; every channel message is one line of UTF-8 text of at most
 * {@value WireText#MAX_CHARS} characters (longer typed lines are sent in pieces).
 */
@Component(service = SessionType.class)
@TandemSessionType(ChatSessionType.ID)
public class ChatSessionType extends LocalUserSessionType {

    static final String ID = "chat";
    static final String NOBODY = "nobody is at this node to chat";
    static final String NOT_UTF8 = "a chat line is not valid UTF-8 text";
    static final String TOO_LONG = "a chat line is longer than " + WireText.MAX_CHARS + " characters";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Chat";
    }

    @Override
    public Set<Privilege> requiredPrivileges() {
        return Set.of(Privilege.CHAT);
    }

    @Override
    public boolean needsConsent() {
        return true;
    }

    @Override
    public SessionHandler open(SessionContext context) {
        boolean guest = context.side() == Side.GUEST;
        String peer = guest ? context.hostName() : context.guestName();
        String me = guest ? context.guestName() : context.hostName();
        ChatSide side = new ChatSide(context.channel(), peer);
        LocalUser person = localUser();
        if (person == null) {
            context.channel().close(NOBODY);
            return side;
        }
        Conversation conversation;
        try {
            conversation = person.converse(peer, side::typed, () -> context.channel().close(me + " ended the chat"));
        } catch (RuntimeException e) {
            context.channel().close(NOBODY);
            return side;
        }
        side.started(conversation);
        return side;
    }

    /** One side of a chat: lines typed here go out, lines received are shown. */
    static final class ChatSide implements SessionHandler {
        private final Channel channel;
        private final String peer;
        /** Guarded by this. */
        private Conversation conversation;
        private String endedReason;
        private boolean endTold;

        ChatSide(Channel channel, String peer) {
            this.channel = channel;
            this.peer = peer;
        }

        void started(Conversation c) {
            String ended;
            synchronized (this) {
                conversation = c;
                ended = endedReason;
                if (ended == null || endTold) {
                    return;
                }
                endTold = true;
            }
            // The session ended while the conversation was starting.
            c.end(ended);
        }

        private synchronized boolean ended() {
            return endedReason != null;
        }

        /** A line the person typed. */
        void typed(String line) {
            if (ended()) {
                return;
            }
            for (String piece : WireText.pieces(line)) {
                // A failed send means the session ended; closed() follows.
                channel.send(WireText.encode(piece));
            }
        }

        @Override
        public void received(ByteBuffer message) {
            String line;
            try {
                line = WireText.read(message);
            } catch (WireText.Rejected e) {
                channel.close(e.tooLong() ? TOO_LONG : NOT_UTF8);
                return;
            }
            Conversation c;
            synchronized (this) {
                c = endedReason == null ? conversation : null;
            }
            if (c != null) {
                c.show(peer, line);
            }
        }

        @Override
        public void closed(String reason) {
            Conversation c;
            synchronized (this) {
                if (endedReason != null) {
                    return;
                }
                endedReason = reason;
                c = conversation;
                if (c == null) {
                    return;
                }
                endTold = true;
            }
            c.end(reason);
        }
    }
}
