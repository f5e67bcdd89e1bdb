package org.tandemrc.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.host.ConnectedGuest;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.protocol.Priority;

/** The Guests the person at the Host sees, and what ends their connection or their control. */
class HostConnectionsTest {

    @TempDir
    Path dir;
    private HostHarness host;

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void aLoggedOnGuestIsListedWithWhatItDoesAndTakingControlBackLeavesItViewing() throws Exception {
        host = new HostHarness(dir,
                new HostEventsTest.Idle("remote-control", "Remote Control", EnumSet.of(Privilege.VIEW_SCREEN)),
                new HostEventsTest.Idle("remote-input", "Keyboard and Mouse", EnumSet.of(Privilege.CONTROL_INPUT)));
        HostConnections connections = new HostConnections(host.access);
        HostHarness.GuestEnd g = host.connect("alice@desk");
        assertTrue(connections.list().isEmpty(), "not listed before it logged on");
        assertEquals("auth.ok", host.logOn(g, host.password).type());
        g.connection.open("remote-control", Priority.SCREEN).toCompletableFuture().get(10, TimeUnit.SECONDS);
        g.connection.open("remote-input", Priority.CONTROL).toCompletableFuture().get(10, TimeUnit.SECONDS);
        host.await(EventCodes.HOST_INPUT_ASSIGNED);
        List<ConnectedGuest> now = connections.list();
        assertEquals(1, now.size());
        ConnectedGuest alice = now.get(0);
        assertEquals("alice@desk", alice.name());
        assertEquals(HostHarness.GUEST_ADDRESS, alice.address());
        assertEquals("Full access", alice.role().name());
        assertEquals(List.of("remote-control", "remote-input"), alice.sessions());

        assertTrue(connections.takeBackControl(alice.id(), "taken back"));
        AuditEvent revoked = host.await(EventCodes.HOST_INPUT_REVOKED);
        assertTrue(revoked.detail().contains("taken back"), revoked.detail());
        ExecutionException again = assertThrows(ExecutionException.class,
                () -> g.connection.open("remote-input", Priority.CONTROL).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(String.valueOf(again.getCause().getMessage()).contains(HostSide.TOOK_BACK_CONTROL), again.toString());
        assertEquals(List.of("remote-control"), connections.list().get(0).sessions(), "still viewing");
        assertFalse(connections.takeBackControl(alice.id(), "again"), "nothing controls any more");

        assertTrue(connections.disconnect(alice.id(), "ended by the person"));
        AuditEvent hungUp = host.await(EventCodes.TANDEM_HOST_DISCONNECT);
        assertEquals("alice@desk", hungUp.user());
        assertEquals("ended by the person", hungUp.detail());
        host.await(EventCodes.HOST_SESSION_STOPPED);
        assertTrue(connections.list().isEmpty());
        assertFalse(connections.disconnect(alice.id(), "gone"));
    }

    @Test
    void thePersonAtTheHostOpensAChatOnlyWithAGuestWhoseRoleHasChatAndWhoTakesIt() throws Exception {
        host = new HostHarness(dir, new HostEventsTest.Idle("chat", "Chat", EnumSet.of(Privilege.CHAT)));
        HostConnections connections = new HostConnections(host.access);
        HostHarness.GuestEnd g = host.connect("alice@desk");
        assertEquals("auth.ok", host.logOn(g, host.password).type());
        host.await(EventCodes.HOST_SESSION_STARTED); // listed from then on
        String id = connections.list().get(0).id();

        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> connections.chat(id).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals("this side opens no sessions on request", refused.getCause().getMessage());
        assertTrue(connections.list().get(0).sessions().isEmpty(), "no chat runs");

        g.takes = new java.util.concurrent.LinkedBlockingQueue<>();
        connections.chat(id).toCompletableFuture().get(10, TimeUnit.SECONDS);
        AuditEvent started = host.await(EventCodes.HOST_CHAT_STARTED);
        assertEquals("alice@desk", started.user());
        assertEquals("Chat, role Full access (opened by the person at the Host)", started.detail());
        assertEquals(List.of("chat"), connections.list().get(0).sessions());
        g.takes.take().close("the Guest ended it");
        host.await(EventCodes.HOST_CHAT_STOPPED);

        ExecutionException gone = assertThrows(ExecutionException.class,
                () -> connections.chat("no such id").toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertEquals("the Guest is not connected", gone.getCause().getMessage());
    }

    @Test
    void aRoleWithoutChatGetsNoChatFromTheHost() throws Exception {
        host = new HostHarness(dir, new HostEventsTest.Idle("chat", "Chat", EnumSet.of(Privilege.CHAT)));
        java.nio.file.Files.writeString(dir.resolve("pw"), "another password\n");
        host.access.setPassword(PasswordStore.SHARED, "View only", dir.resolve("pw"));
        HostConnections connections = new HostConnections(host.access);
        HostHarness.GuestEnd g = host.connect("bob@desk");
        g.takes = new java.util.concurrent.LinkedBlockingQueue<>();
        assertEquals("auth.ok", host.logOn(g, "another password".toCharArray()).type());
        host.await(EventCodes.HOST_SESSION_STARTED);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> connections.chat(connections.list().get(0).id()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage().endsWith("does not allow chat"), refused.getCause().getMessage());
        assertTrue(g.takes.isEmpty(), "nothing was opened on the Guest");
    }
}
