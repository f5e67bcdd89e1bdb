package org.tandemrc.comm.terminalserver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

class TerminalServerDeviceTest {

    @TempDir
    Path dir;
    private final TerminalServerDevice device = new TerminalServerDevice();

    @BeforeEach
    void start() {
        device.activate();
    }

    @AfterEach
    void stop() {
        device.deactivate();
    }

    private CommunicationProfile profile(Map<String, String> extra) {
        java.util.HashMap<String, String> s = new java.util.HashMap<>(extra);
        s.put("socket-dir", dir.toString());
        return new CommunicationProfile("ts", "terminal-server", s);
    }

    private static LinkHandler answering(String who) {
        return new LinkHandler() {
            @Override
            public void received(Link link, ByteBuffer message) {
                link.send(ByteBuffer.wrap(who.getBytes()));
            }

            @Override
            public void closed(Link link, String reason) {
            }
        };
    }

    @Test
    void eachSessionsHostIsReachedByItsUsersName() throws Exception {
        // host.user is what the Host role adds: the user logged on in that session.
        try (Endpoint alice = device.listen(profile(Map.of("host.user", "alice")), l -> answering("alice's Host"));
                Endpoint bob = device.listen(profile(Map.of("host.user", "bob")), l -> answering("bob's Host"))) {
            assertEquals("terminal-server:alice", alice.address());
            assertEquals("terminal-server:bob", bob.address());
            assertTrue(Files.exists(dir.resolve("alice.sock")));
            for (String user : new String[] {"alice", "bob"}) {
                CompletableFuture<String> answer = new CompletableFuture<>();
                Link link = device.connect(profile(Map.of()), user, new LinkHandler() {
                    @Override
                    public void received(Link l, ByteBuffer message) {
                        answer.complete(new String(message.array(), message.position(), message.remaining()));
                    }

                    @Override
                    public void closed(Link l, String reason) {
                    }
                }).toCompletableFuture().get(5, TimeUnit.SECONDS);
                link.send(ByteBuffer.wrap(new byte[] {1}));
                assertEquals(user + "'s Host", answer.get(5, TimeUnit.SECONDS));
                link.close("done");
            }
        }
        assertFalse(Files.exists(dir.resolve("alice.sock")), "a closed endpoint removes its socket");
    }

    @Test
    void aSecondHostForTheSameSessionIsRefusedAndAStaleSocketIsReplaced() throws Exception {
        try (Endpoint first = device.listen(profile(Map.of("session", "carol")), l -> answering("x"))) {
            IOException e = assertThrows(IOException.class, () -> device.listen(profile(Map.of("session", "carol")), l -> answering("y")));
            assertTrue(e.getMessage().contains("another Host listens there already"), e.getMessage());
        }
        Files.createFile(dir.resolve("dave.sock")); // left by a Host that was killed
        try (Endpoint e = device.listen(profile(Map.of("session", "dave")), l -> answering("z"))) {
            assertEquals("terminal-server:dave", e.address());
        }
    }

    @Test
    void badNamesAndMissingSessionsAreExplained() throws Exception {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> device.listen(profile(Map.of("session", "../etc/x")), l -> answering("x")));
        assertTrue(bad.getMessage().contains("session=../etc/x is not a session name"), bad.getMessage());
        ExecutionException none = assertThrows(ExecutionException.class, () -> device
                .connect(profile(Map.of()), "nobody", answering("x")).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(none.getCause().getMessage().contains("no Host listens for that session"), none.getCause().getMessage());
        ExecutionException path = assertThrows(ExecutionException.class, () -> device
                .connect(profile(Map.of()), "a/b", answering("x")).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(path.getCause().getMessage().contains("not a session name or a socket path"));
    }
}
