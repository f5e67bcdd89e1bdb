package org.tandemrc.comm.terminalserver.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.testing.DeviceConformance;

/** The Terminal Server device against the conformance suite every device passes. */
class TerminalServerConformanceTest extends DeviceConformance {

    private static final AtomicInteger SESSIONS = new AtomicInteger();
    private final Path dir;

    TerminalServerConformanceTest() throws IOException {
        super(TerminalServerDevice::new, TerminalServerDevice::activate, TerminalServerDevice::deactivate);
        dir = Files.createTempDirectory("tandem-ts-test");
    }

    @AfterEach
    void removeFolder() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    protected Map<String, String> listenSettings() {
        return Map.of("socket-dir", dir.toString(), "session", "user" + SESSIONS.incrementAndGet());
    }

    @Override
    protected Map<String, String> connectSettings() {
        return Map.of("socket-dir", dir.toString());
    }

    @Override
    protected byte[] announceMessageOf(long size) {
        return lengthField(size);
    }

    @Override
    protected RawPeer rawPeer(Endpoint endpoint) throws IOException {
        Path socket = TerminalServerDevice.socketOf(new CommunicationProfile("raw", "terminal-server", connectSettings()),
                connectAddress(endpoint));
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new RawPeer() {
            @Override
            public void write(byte[] bytes) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }

            @Override
            public boolean closedByDevice(Duration within) throws IOException, InterruptedException {
                var reader = Executors.newSingleThreadExecutor();
                try {
                    Future<Boolean> eof = reader.submit(() -> {
                        ByteBuffer sink = ByteBuffer.allocate(4096);
                        while (channel.read(sink) >= 0) {
                            sink.clear();
                        }
                        return true;
                    });
                    return eof.get(within.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    return false;
                } catch (java.util.concurrent.ExecutionException e) {
                    return true; // reset
                } finally {
                    reader.shutdownNow();
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
