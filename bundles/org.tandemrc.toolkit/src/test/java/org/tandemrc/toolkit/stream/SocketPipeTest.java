package org.tandemrc.toolkit.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class SocketPipeTest {

    /** A connected pair: [0] the pipe's socket, [1] its peer. */
    private static Socket[] pair() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            return new Socket[] {a, server.accept()};
        }
    }

    @Test
    void bytesCrossBothWaysInPiecesOfAtMostMaxWriteEachAfterTheOneBeforeWasTaken() throws Exception {
        Socket[] s = pair();
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<CompletableFuture<Void>> stages = new ArrayList<>();
        CompletableFuture<String> ended = new CompletableFuture<>();
        try (SocketPipe pipe = new SocketPipe(s[0], "test")) {
            pipe.start(b -> {
                synchronized (stages) {
                    // the piece before this one was taken: the pipe waits for each stage
                    assertTrue(stages.stream().allMatch(CompletableFuture::isDone));
                    assertTrue(b.remaining() <= 64 * 1024, "a piece of " + b.remaining());
                    got.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    stages.add(f);
                    CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS).execute(() -> f.complete(null));
                    return f;
                }
            }, 64 * 1024, f -> ended.complete(String.valueOf(f)));
            s[1].getOutputStream().write(data);
            s[1].shutdownOutput();
            assertEquals("null", ended.get(20, TimeUnit.SECONDS), "the peer closed: no failure");
            synchronized (stages) {
                assertArrayEquals(data, got.toByteArray());
            }

            pipe.write(ByteBuffer.wrap(data, 5, 1000)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            pipe.finish();
            byte[] back = s[1].getInputStream().readAllBytes();
            assertEquals(1000, back.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 5, 1005), back);
        }
        s[1].close();
    }

    @Test
    void closingFailsPendingWritesAndCallsNoEnd() throws Exception {
        Socket[] s = pair();
        CompletableFuture<String> ended = new CompletableFuture<>();
        SocketPipe pipe = new SocketPipe(s[0], "test");
        pipe.start(b -> CompletableFuture.completedFuture(null), 1024, f -> ended.complete(f));
        pipe.close();
        assertTrue(pipe.isClosed());
        assertThrows(ExecutionException.class,
                () -> pipe.write(ByteBuffer.wrap(new byte[10])).toCompletableFuture().get(10, TimeUnit.SECONDS));
        Thread.sleep(300);
        assertNull(ended.getNow(null), "the one who closed needs no word of it");
        assertEquals(-1, s[1].getInputStream().read(), "the peer sees the connection closed");
        s[1].close();
    }

    @Test
    void aStreamThatEndedStopsThePumpWithItsReason() throws Exception {
        Socket[] s = pair();
        CompletableFuture<String> ended = new CompletableFuture<>();
        try (SocketPipe pipe = new SocketPipe(s[0], "test")) {
            pipe.start(b -> CompletableFuture.failedFuture(new IllegalStateException("the stream has ended")), 1024,
                    f -> ended.complete(f));
            s[1].getOutputStream().write(1);
            assertEquals("the stream has ended", ended.get(10, TimeUnit.SECONDS));
        }
        s[1].close();
    }
}
