package org.tandemrc.session.chat.internal;

import java.util.List;
import java.util.function.Function;


import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.chat.RemoteChat;
import org.tandemrc.api.chat.RemoteChats;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.user.Conversation;

/**
 * {@link RemoteChats} on the chat session's own side: the front end takes the place of the person
 * at this node, so lines are checked and split exactly as in a chat between two people.
 */
@Component(service = RemoteChats.class)
public class ChatClient implements RemoteChats {

    @Override
    public RemoteChat open(HostConnection connection, RemoteChat.Listener listener)
            throws GuestException, InterruptedException {
        Open[] chat = new Open[1];
        connection.open(ChatSessionType.ID, ChannelPriority.CONTROL, List.of(), ctx -> {
            chat[0] = new Open(ctx.channel(), ctx.hostName());
            return chat[0].start(listener);
        });
        return chat[0];
    }

    @Override
    public Runnable answer(HostConnection connection, Function<RemoteChat, RemoteChat.Listener> opened)
            throws GuestException {
        return connection.answer(ChatSessionType.ID, ctx -> {
            Open chat = new Open(ctx.channel(), ctx.hostName());
            RemoteChat.Listener listener = opened.apply(chat);
            return listener == null ? null : chat.start(listener);
        });
    }

    /** The open chat, and the conversation its session side reports to. */
    private static final class Open implements RemoteChat, Conversation {
        private final Channel channel;
        private final String hostName;
        /** Set once, before the session's first message: the chat starts with it. */
        private volatile RemoteChat.Listener listener;
        final ChatSessionType.ChatSide side;
        private volatile boolean ended;

        Open(Channel channel, String hostName) {
            this.channel = channel;
            this.hostName = hostName;
            this.side = new ChatSessionType.ChatSide(channel, hostName);
        }

        /** Starts the chat with its front end's listener; returns the handler of the session's messages. */
        ChatSessionType.ChatSide start(RemoteChat.Listener l) {
            listener = l;
            side.started(this);
            return side;
        }

        @Override
        public String hostName() {
            return hostName;
        }

        @Override
        public void send(String line) throws GuestException {
            if (ended) {
                throw new GuestException(Reason.CLOSED, "the chat has ended");
            }
            if (!line.isBlank()) {
                side.typed(line);
            }
        }

        @Override
        public boolean isOpen() {
            return !ended;
        }

        @Override
        public void close(String reason) {
            channel.close(reason);
        }

        @Override
        public void show(String from, String text) {
            listener.line(from, text);
        }

        @Override
        public void end(String reason) {
            ended = true;
            listener.ended(reason);
        }
    }
}
