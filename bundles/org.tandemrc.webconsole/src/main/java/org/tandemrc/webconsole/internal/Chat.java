package org.tandemrc.webconsole.internal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.WireText;

/**
 * The console's side of a chat on one connection: lines typed in the browser go to the Host as
 * {@link WireText}, lines from the Host go to the browser as events. The browser is the Guest's
 * person here, so the chat session type's own terminal conversation is not used.
 */
final class Chat {

    private final Connections.Link link;
    /** Guarded by this. */
    private Channel channel;

    Chat(Connections.Link link) {
        this.link = link;
    }

    /** Opens the chat unless it is open; the Host's person may have to accept it first. */
    void open() throws GuestException, InterruptedException {
        synchronized (this) {
            if (channel != null) {
                return;
            }
        }
        SessionContext context = link.connection.open("chat", ChannelPriority.CONTROL, List.of(), ctx -> new Handler(ctx));
        synchronized (this) {
            channel = context.channel();
        }
        link.opened("Chat");
        event("chat-open", Map.of("host", context.hostName()));
    }

    void send(String text) throws GuestException {
        Channel c;
        synchronized (this) {
            c = channel;
        }
        if (c == null) {
            throw new GuestException("the chat is not open");
        }
        if (text.isBlank()) {
            return;
        }
        for (String piece : WireText.pieces(text)) {
            c.send(WireText.encode(piece));
        }
    }

    void end() {
        Channel c;
        synchronized (this) {
            c = channel;
        }
        if (c != null) {
            c.close("the Guest ended the chat");
        }
    }

    /** The session or the whole connection ended. */
    void ended(String reason) {
        synchronized (this) {
            if (channel == null) {
                return;
            }
            channel = null;
        }
        link.ended("Chat");
        event("chat-ended", Map.of("reason", reason));
    }

    private void event(String type, Map<String, Object> fields) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", type);
        e.put("connection", link.id);
        e.putAll(fields);
        link.owner().publish(e);
    }

    private final class Handler implements SessionHandler {
        private final SessionContext context;

        Handler(SessionContext context) {
            this.context = context;
        }

        @Override
        public void received(ByteBuffer message) {
            String line;
            try {
                line = WireText.read(message);
            } catch (WireText.Rejected e) {
                context.channel().close("a chat line was " + e.getMessage());
                return;
            }
            event("chat", Map.of("from", context.hostName(), "text", line));
        }

        @Override
        public void closed(String reason) {
            ended(reason);
        }
    }
}
