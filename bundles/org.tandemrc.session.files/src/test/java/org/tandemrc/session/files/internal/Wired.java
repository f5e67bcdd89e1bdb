package org.tandemrc.session.files.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.testing.FakeContext;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.Side;

/**
 * Two session handlers joined by ordered in-memory channels, each direction on its own thread; a message
 * larger than a channel takes fails the test, as the real channel refuses it.
 */
final class Wired implements AutoCloseable {

    /** A Host whose person refuses every offered file, and audits nothing. */
    static final HostFiles.Offers NO_OFFERS = new HostFiles.Offers() {
        @Override
        public java.util.Optional<java.nio.file.Path> ask(String name, long size) {
            return java.util.Optional.empty();
        }

        @Override
        public void audit(String code, org.tandemrc.api.event.Severity severity, String detail) {
            // nothing to record
        }
    };

    private final List<ExecutorService> executors = new ArrayList<>();
    final Pipe toHost = new Pipe();
    final Pipe toGuest = new Pipe();

    Wired() {
        toHost.back = toGuest;
        toGuest.back = toHost;
    }

    /** One direction: messages delivered in order on their own thread. */
    final class Pipe implements Channel {
        private final ExecutorService executor = Executors.newSingleThreadExecutor();
        SessionHandler to;
        private Pipe back;

        Pipe() {
            executors.add(executor);
        }

        @Override
        public int maxMessageSize() {
            return 1024 * 1024;
        }

        @Override
        public CompletionStage<Void> send(ByteBuffer message) {
            assertTrue(message.remaining() <= maxMessageSize(), "a message of " + message.remaining() + " bytes");
            ByteBuffer copy = ByteBuffer.allocate(message.remaining()).put(message).flip();
            executor.execute(() -> to.received(copy));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(String reason) {
            executor.execute(() -> to.closed(reason));
            back.executor.execute(() -> back.to.closed(reason));
        }
    }

    /** What the Host's side of the session sees: the Guest "tester" from 192.0.2.7. */
    SessionContext hostContext() {
        return new FakeContext(Side.HOST, toGuest, "tester", "host", List.of(), Set.of(Privilege.TRANSFER_FILES),
                "192.0.2.7:4000");
    }

    @Override
    public void close() {
        executors.forEach(ExecutorService::shutdownNow);
    }
}
