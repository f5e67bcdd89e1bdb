package org.tandemrc.webconsole.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.tandemrc.api.chat.RemoteChat;
import org.tandemrc.api.chat.RemoteChats;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;

/**
 * The console's chat on one connection: lines typed in the browser go to the Host through
 * {@link RemoteChats}, lines from the Host go to the browser as events. The browser is the Guest's
 * person here, so the chat session type's own terminal conversation is not used. A chat the person at the
 * Host opens shows in the same view.
 */
final class Chat {

    private final Connections.Link link;
    /** Guarded by this. */
    private RemoteChat chat;
    /** Lines from the Host go to the browser as events. */
    private final RemoteChat.Listener lines = new RemoteChat.Listener() {
        @Override
        public void line(String from, String text) {
            event("chat", Map.of("from", from, "text", text));
        }

        @Override
        public void ended(String reason) {
            Chat.this.ended(reason);
        }
    };

    Chat(Connections.Link link) {
        this.link = link;
    }

    /** Opens the chat unless it is open; the Host's person may have to accept it first. */
    void open() throws GuestException, InterruptedException {
        synchronized (this) {
            if (chat != null) {
                return;
            }
        }
        RemoteChats chats = link.owner().remoteChats;
        if (chats == null) {
            throw new GuestException(Reason.NOT_INSTALLED, "chat is not installed on this Guest");
        }
        RemoteChat opened = chats.open(link.connection, lines);
        synchronized (this) {
            chat = opened;
        }
        link.opened("Chat");
        event("chat-open", Map.of("host", opened.hostName()));
        if (!opened.isOpen()) {
            ended("the chat ended as it opened");
        }
    }

    /**
     * Takes the chats the person at the Host opens on this connection, into the same view as a chat opened
     * here; one at a time, so the Host's second chat while one goes on is refused.
     */
    void takeHostChats() {
        RemoteChats chats = link.owner().remoteChats;
        if (chats == null) {
            return;
        }
        try {
            chats.answer(link.connection, opened -> {
                synchronized (this) {
                    if (chat != null) {
                        return null;
                    }
                    chat = opened;
                }
                link.opened("Chat");
                event("chat-open", Map.of("host", opened.hostName(), "byHost", true));
                return lines;
            });
        } catch (GuestException e) {
            System.getLogger("org.tandemrc.webconsole").log(System.Logger.Level.INFO,
                    "chats the Host opens are not taken: " + e.getMessage());
        }
    }

    void send(String text) throws GuestException {
        RemoteChat c;
        synchronized (this) {
            c = chat;
        }
        if (c == null) {
            throw new GuestException(Reason.CLOSED, "the chat is not open");
        }
        c.send(text);
    }

    void end() {
        RemoteChat c;
        synchronized (this) {
            c = chat;
        }
        if (c != null) {
            c.close("the Guest ended the chat");
        }
    }

    /** The session or the whole connection ended. */
    void ended(String reason) {
        synchronized (this) {
            if (chat == null) {
                return;
            }
            chat = null;
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
}
