package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.tandemrc.api.chat.RemoteChat;
import org.tandemrc.api.chat.RemoteChats;
import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.guest.Guest;
import org.tandemrc.api.guest.HostConnection;

/** A chat the person at the Host opens shows in the connection's chat view, as one opened in the browser does. */
class HostOpenedChatTest {

    @TempDir
    Path dir;

    /** The chats the Host opens reach the console through this, as the chat bundle hands them over. */
    private Function<RemoteChat, RemoteChat.Listener> taking;
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());

    /** A chat the Host opened, as the chat bundle gives it to the console. */
    private RemoteChat hostChat() {
        return new RemoteChat() {
            @Override
            public String hostName() {
                return "desk-1";
            }

            @Override
            public void send(String line) {
                sent.add(line);
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close(String reason) {
            }
        };
    }

    @Test
    void theHostsChatOpensInTheConnectionsChatViewOneAtATime() throws Exception {
        Connections connections = new Connections();
        connections.activate((BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> m.getName().equals("getProperty")
                        && "tandem.home".equals(a[0]) ? dir.toString() : null));
        // The connection as far as the console's list reads it: its chats come through RemoteChats.
        java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();
        HostConnection host = (HostConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HostConnection.class}, (p, m, a) -> switch (m.getName()) {
                    case "hostName" -> "desk-1";
                    case "role" -> "Full access";
                    case "isOpen" -> true;
                    case "closed" -> closed;
                    default -> null;
                });
        connections.guest = (Guest) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Guest.class},
                (p, m, a) -> m.getName().equals("connect") ? host : null);
        connections.remoteChats = new RemoteChats() {
            @Override
            public RemoteChat open(HostConnection c, RemoteChat.Listener l) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Runnable answer(HostConnection c, Function<RemoteChat, RemoteChat.Listener> f) {
                taking = f;
                return () -> taking = null;
            }
        };
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        connections.listen(events::add);
        Connections.Link link = connections.connect(new ConnectRequest("tcp:192.0.2.10:6502", null, "pw".toCharArray(),
                false), "desk", "alice");
        assertNotNull(taking, "the console takes the Host's chats from the moment it is connected");

        RemoteChat.Listener lines = taking.apply(hostChat());
        assertNotNull(lines);
        assertTrue(events.stream().anyMatch(e -> e.contains("\"chat-open\"") && e.contains("\"byHost\":true")
                && e.contains(link.id)), events.toString());
        assertEquals(List.of("Chat"), link.sessions());
        lines.line("desk-1", "Can I help?");
        assertTrue(events.stream().anyMatch(e -> e.contains("\"chat\"") && e.contains("Can I help?")), events.toString());
        link.chat.send("yes please");
        assertEquals(List.of("yes please"), sent, "the browser's lines go to the chat the Host opened");

        assertNull(taking.apply(hostChat()), "a second chat while one goes on is refused");
        lines.ended("the person at the Host ended the chat");
        assertEquals(List.of(), link.sessions());
        assertNotNull(taking.apply(hostChat()), "once it ended, the Host may open another");
        connections.deactivate();
    }
}
