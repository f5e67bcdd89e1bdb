package org.tandemrc.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/**
 * The behaviour every {@link CommunicationDevice} owes the layers above it, as one JUnit 5 suite that
 * each device bundle runs by extending this class: connect, many links at once, ordered and complete
 * delivery of tiny and large messages, backpressure, close from either side, a peer that vanishes, and
 * hostile bytes from a peer that does not speak the device's protocol.
 *
 * <p>Each test uses two instances of the device, one listening and one connecting, so that one side can
 * vanish while the other stays. Messages are limited by the common {@code max-message} profile setting.
 */
public abstract class DeviceConformance {

    /** The {@code max-message} setting every profile of this suite carries. */
    protected static final int MAX_MESSAGE = 1 << 20;
    private static final long WAIT_SECONDS = 20;

    /** The listening side's device and the connecting side's device. */
    protected CommunicationDevice server;
    protected CommunicationDevice client;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Link> links = new CopyOnWriteArrayList<>();

    /** Settings that listen on a free port of the IPv4 loopback, for devices configured by {@code bind} and {@code port}. */
    public static final Map<String, String> LOOPBACK_ANY_PORT = Map.of("bind", "127.0.0.1", "port", "0");

    /** A step of a device's life cycle, as a method reference such as {@code TcpDevice::deactivate}. */
    @FunctionalInterface
    public interface Step<D> {
        void run(D device) throws Exception;
    }

    private final java.util.function.Supplier<? extends CommunicationDevice> make;
    private final Step<CommunicationDevice> start;
    private final Step<CommunicationDevice> stop;

    /** For a suite that overrides {@link #newDevice()} and {@link #stopDevice(CommunicationDevice)}. */
    protected DeviceConformance() {
        make = null;
        start = null;
        stop = null;
    }

    /**
     * For a device made by a constructor, started by one method and stopped by another, as a DS component
     * is ({@code super(TcpDevice::new, TcpDevice::activate, TcpDevice::deactivate)}).
     */
    @SuppressWarnings("unchecked")
    protected <D extends CommunicationDevice> DeviceConformance(java.util.function.Supplier<D> make, Step<D> start,
            Step<D> stop) {
        this.make = make;
        this.start = (Step<CommunicationDevice>) start;
        this.stop = (Step<CommunicationDevice>) stop;
    }

    /** A new, started instance of the device under test. */
    protected CommunicationDevice newDevice() throws Exception {
        if (make == null) {
            throw new IllegalStateException(getClass().getName() + " neither overrides newDevice() nor passes a life cycle");
        }
        CommunicationDevice device = make.get();
        start.run(device);
        return device;
    }

    /** Stops an instance made by {@link #newDevice()}; everything it opened goes away with it. */
    protected void stopDevice(CommunicationDevice device) throws Exception {
        if (stop == null) {
            throw new IllegalStateException(getClass().getName() + " neither overrides stopDevice() nor passes a life cycle");
        }
        stop.run(device);
    }

    /**
     * Settings of a profile that listens on a free local address (loopback, a free port, a socket in a
     * temporary folder...). The suite adds {@code max-message}. By default {@link #LOOPBACK_ANY_PORT}.
     */
    protected Map<String, String> listenSettings() throws Exception {
        return LOOPBACK_ANY_PORT;
    }

    /** Settings of the profile the connecting side uses. The suite adds {@code max-message}. */
    protected Map<String, String> connectSettings() {
        return Map.of();
    }

    /** The address a peer passes to {@code connect} to reach the endpoint. */
    protected String connectAddress(Endpoint endpoint) {
        String address = endpoint.address();
        String prefix = server.type() + ":";
        return address.startsWith(prefix) ? address.substring(prefix.length()) : address;
    }

    /**
     * Opens a connection to the endpoint that speaks raw bytes, not the device's protocol, to send it
     * hostile input.
     */
    protected abstract RawPeer rawPeer(Endpoint endpoint) throws IOException;

    /** Bytes by which a raw peer announces a message of {@code size} bytes in the device's framing. */
    protected abstract byte[] announceMessageOf(long size);

    /**
     * Makes the listening side disappear without a word, as a killed process or a pulled cable would:
     * by default its device instance is stopped. A device whose peers only notice silence overrides this.
     */
    protected void vanish(CommunicationDevice listeningSide) throws Exception {
        stopDevice(listeningSide);
    }

    /** How long the connecting side may take to notice that the listening side vanished. */
    protected Duration vanishNoticedWithin() {
        return Duration.ofSeconds(10);
    }

    /** A connection of raw bytes to a device's endpoint. */
    public interface RawPeer extends AutoCloseable {
        void write(byte[] bytes) throws IOException;

        /** Whether the device closed (or reset) this connection within the time given. */
        boolean closedByDevice(Duration within) throws IOException, InterruptedException;

        @Override
        void close() throws IOException;
    }

    /**
     * A 4-byte big-endian length announcing {@code size} bytes (capped at {@code Integer.MAX_VALUE}), the
     * message header of devices that frame messages by a length field.
     */
    public static byte[] lengthField(long size) {
        return ByteBuffer.allocate(4).putInt((int) Math.min(size, Integer.MAX_VALUE)).array();
    }

    /** A {@link #socketPeer} over a new TCP connection to {@code host:port}, given 5 s to connect. */
    public static RawPeer socketPeer(String host, int port) throws IOException {
        java.net.Socket socket = new java.net.Socket();
        try {
            socket.connect(new java.net.InetSocketAddress(host, port), 5000);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socketPeer(socket);
    }

    /**
     * A raw peer over plain sockets, for devices that run on TCP: it writes to {@code watched}, which
     * counts as closed by the device when reading it ends or is reset; closing it closes every socket given.
     */
    public static RawPeer socketPeer(java.net.Socket watched, java.net.Socket... others) {
        List<java.net.Socket> all = new ArrayList<>(List.of(others));
        all.add(watched);
        return new RawPeer() {
            @Override
            public void write(byte[] bytes) throws IOException {
                watched.getOutputStream().write(bytes);
                watched.getOutputStream().flush();
            }

            @Override
            public boolean closedByDevice(Duration within) throws IOException {
                watched.setSoTimeout((int) within.toMillis());
                java.io.InputStream in = watched.getInputStream();
                try {
                    while (in.read() >= 0) {
                        // drain whatever the device sent before closing
                    }
                    return true;
                } catch (java.net.SocketTimeoutException e) {
                    return false;
                } catch (IOException e) {
                    return true; // reset
                }
            }

            @Override
            public void close() throws IOException {
                for (java.net.Socket s : all) {
                    s.close();
                }
            }
        };
    }

    @BeforeEach
    void startDevices() throws Exception {
        server = newDevice();
        client = newDevice();
    }

    @AfterEach
    void stopDevices() throws Exception {
        for (Link l : links) {
            l.close("test over");
        }
        for (Endpoint e : endpoints) {
            e.close();
        }
        try {
            stopDevice(client);
        } finally {
            stopDevice(server);
        }
    }

    // ------------------------------------------------------------------------------------------------

    /** Records everything a link's handler is told, in order (also for other tests of links). */
    public static class Recorder implements LinkHandler {
        public final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        public final CompletableFuture<Link> opened = new CompletableFuture<>();
        public final CompletableFuture<String> closed = new CompletableFuture<>();
        public final AtomicInteger writable = new AtomicInteger();
        final List<String> order = new CopyOnWriteArrayList<>();

        @Override
        public void opened(Link link) {
            order.add("opened");
            opened.complete(link);
        }

        @Override
        public void received(Link link, ByteBuffer message) {
            if (!opened.isDone()) {
                order.add("message before opened");
            }
            byte[] copy = new byte[message.remaining()];
            message.get(copy);
            messages.add(copy);
        }

        @Override
        public void writable(Link link) {
            writable.incrementAndGet();
        }

        @Override
        public void closed(Link link, String reason) {
            order.add("closed");
            closed.complete(reason);
        }

        public byte[] next() throws InterruptedException {
            byte[] m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (m == null) {
                fail("no message within " + WAIT_SECONDS + " s");
            }
            return m;
        }
    }

    /** Ignores everything a link tells it, for links a test only drives from outside. */
    public static final LinkHandler DISCARD = new LinkHandler() {
        @Override
        public void received(Link link, ByteBuffer message) {
            // dropped on purpose
        }

        @Override
        public void closed(Link link, String reason) {
            // nothing to clean up
        }
    };

    /**
     * Sends back a copy of every message and keeps nothing, for peers that run long or carry much (a
     * {@link Recorder} keeps every message); one instance serves any number of links.
     */
    public static final LinkHandler PLAIN_ECHO = new LinkHandler() {
        @Override
        public void received(Link link, ByteBuffer message) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining());
            copy.put(message).flip();
            link.send(copy);
        }

        @Override
        public void closed(Link link, String reason) {
            // an echo has nothing to clean up
        }
    };

    /** Sends back a copy of every message (also for other tests of links). */
    public static class Echo extends Recorder {
        @Override
        public void received(Link link, ByteBuffer message) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining());
            copy.put(message.duplicate()).flip();
            super.received(link, message);
            link.send(copy);
        }
    }

    private CommunicationProfile profile(String name, Map<String, String> base) {
        Map<String, String> settings = new HashMap<>(base);
        settings.put("max-message", Integer.toString(MAX_MESSAGE));
        return new CommunicationProfile(name, server.type(), settings);
    }

    /** Listens with a fresh profile; every accepted link gets the handler {@code perLink} makes. */
    protected Endpoint listen(java.util.function.Supplier<? extends LinkHandler> perLink) throws Exception {
        Endpoint e = server.listen(profile("conformance-listen", listenSettings()), l -> {
            links.add(l);
            return perLink.get();
        });
        endpoints.add(e);
        assertTrue(e.address().startsWith(server.type() + ":"), "endpoint address " + e.address());
        return e;
    }

    /** A link to a fresh endpoint, recorded on this side ({@code mine}) and on the accepting side ({@code accepted}). */
    protected record Recorded(Link link, Recorder mine, BlockingQueue<Recorder> accepted) {
    }

    /** Connects to a fresh endpoint that gives every accepted link its own {@link Recorder}. */
    protected Recorded connectRecorded() throws Exception {
        BlockingQueue<Recorder> accepted = new LinkedBlockingQueue<>();
        Endpoint endpoint = listen(() -> {
            Recorder r = new Recorder();
            accepted.add(r);
            return r;
        });
        Recorder mine = new Recorder();
        return new Recorded(connect(endpoint, mine), mine, accepted);
    }

    /** Connects the client device to the endpoint. */
    protected Link connect(Endpoint endpoint, LinkHandler handler) throws Exception {
        Link l = client.connect(profile("conformance-connect", connectSettings()), connectAddress(endpoint), handler)
                .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        links.add(l);
        return l;
    }

    private static byte[] numbered(int i, int size) {
        byte[] m = new byte[size];
        Random r = new Random(i);
        r.nextBytes(m);
        if (size >= 4) {
            ByteBuffer.wrap(m).putInt(0, i);
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------

    /**
     * Every value the device's settings descriptor refuses, the device refuses too, with the same words:
     * a profile checked by {@code tandem admin profiles} does not fail later for another reason.
     */
    @Test
    public void theSettingsDescriptorRefusesWhatTheDeviceRefuses() throws Exception {
        boolean same = client.type().equals(server.type());
        refusesAsDescribed(server, true, same);
        if (!same) {
            refusesAsDescribed(client, false, true);
        }
    }

    private void refusesAsDescribed(CommunicationDevice device, boolean listening, boolean connecting) throws Exception {
        for (DeviceSetting setting : device.settings()) {
            List<String> bad = new ArrayList<>();
            if (setting.type() == DeviceSetting.Type.INTEGER) {
                bad.add("many");
                bad.add(Long.toString(setting.min() - 1));
                bad.add(Long.toString(setting.max() + 1));
            } else if (setting.type() == DeviceSetting.Type.CHOICE) {
                bad.add("no-such-" + setting.name());
            }
            for (String value : bad) {
                String why = setting.refusal(value);
                assertNotNull(why, setting.name() + "=" + value + " passes the descriptor");
                String refused = refusal(setting.name(), value, listening, connecting);
                assertNotNull(refused, device.type() + " accepts " + setting.name() + "=" + value
                        + " which its descriptor refuses (" + why + ")");
                assertTrue(refused.contains(setting.name() + "=" + value + " " + why), refused);
            }
        }
    }

    /** Why the devices refuse a profile with {@code key=value}, listening or connecting; null if they do not. */
    private String refusal(String key, String value, boolean listening, boolean connecting) throws Exception {
        if (listening) {
            Map<String, String> listen = new HashMap<>(profile("conformance-settings", listenSettings()).settings());
            listen.put(key, value);
            try {
                server.listen(new CommunicationProfile("conformance-settings", server.type(), listen), l -> new Echo()).close();
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        if (!connecting) {
            return null;
        }
        Endpoint endpoint = listen(Echo::new);
        Map<String, String> connect = new HashMap<>(profile("conformance-settings", connectSettings()).settings());
        connect.put(key, value);
        try {
            Link l = client.connect(new CommunicationProfile("conformance-settings", client.type(), connect),
                            connectAddress(endpoint), new Recorder())
                    .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            links.add(l);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (ExecutionException e) {
            return e.getCause() instanceof IllegalArgumentException ? e.getCause().getMessage() : null;
        }
    }

    @Test
    public void aLinkOpensOnBothSidesWithAddresses() throws Exception {
        Recorded r = connectRecorded();
        Link link = r.link();
        Recorder mine = r.mine();
        assertTrue(link.isOpen());
        assertEquals(link, mine.opened.get(WAIT_SECONDS, TimeUnit.SECONDS), "opened() names the link");
        Recorder theirs = r.accepted().poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(theirs, "the acceptor saw no link");
        Link serverSide = theirs.opened.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(serverSide.isOpen());
        assertFalse(link.localAddress().isBlank());
        assertFalse(link.remoteAddress().isBlank());
        assertFalse(serverSide.remoteAddress().isBlank());
        assertEquals(MAX_MESSAGE, link.maxMessageSize());
        assertEquals(MAX_MESSAGE, serverSide.maxMessageSize());
        assertEquals(List.of("opened"), mine.order);
    }

    @Test
    public void anAddressWhereNobodyListensFailsToConnect() throws Exception {
        Endpoint endpoint = listen(Echo::new);
        String address = connectAddress(endpoint);
        endpoint.close();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.connect(profile("c", connectSettings()), address, new Recorder()).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS));
        assertNotNull(e.getCause().getMessage(), "the failure says why");
    }

    /**
     * An empty message sent alone, with nothing after it to push it out, still arrives: a device that
     * batches writes and flushes only when it wrote bytes would keep it back for ever.
     */
    @Test
    public void anEmptyMessageSentAloneArrives() throws Exception {
        Endpoint endpoint = listen(Echo::new);
        Recorder mine = new Recorder();
        Link link = connect(endpoint, mine);
        link.send(ByteBuffer.allocate(0));
        assertArrayEquals(new byte[0], mine.next(), "the empty message's echo");
    }

    @Test
    public void tinyAndLargeMessagesArriveWholeAndInOrderBothWays() throws Exception {
        Endpoint endpoint = listen(Echo::new);
        Recorder mine = new Recorder();
        Link link = connect(endpoint, mine);
        int[] sizes = {0, 1, 2, 3, 7, 100, 1199, 1200, 1201, 1500, 4096, 65_535, 65_536, 65_537, 300_001, MAX_MESSAGE};
        List<byte[]> sent = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int size : sizes) {
                byte[] m = numbered(sent.size(), size);
                sent.add(m);
                link.send(ByteBuffer.wrap(m));
            }
        }
        for (int i = 0; i < 500; i++) {
            byte[] m = numbered(sent.size(), 1 + i % 9);
            sent.add(m);
            link.send(ByteBuffer.wrap(m));
        }
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), mine.next(), "echo of message " + i + " (" + sent.get(i).length + " bytes)");
        }
    }

    /**
     * One link sent on at once from the thread that delivers its messages (an echo from {@code received})
     * and from another thread: each sender's messages arrive complete and in its order. A device that
     * writes directly when called on its I/O thread but queues calls from other threads reorders them.
     */
    @Test
    public void sendsFromTheReceivingThreadAndAnotherThreadAtOnceKeepEachSendersOrder() throws Exception {
        CompletableFuture<Link> accepted = new CompletableFuture<>();
        Endpoint endpoint = listen(() -> new Echo() {
            @Override
            public void opened(Link link) {
                super.opened(link);
                accepted.complete(link);
            }
        });
        Recorder mine = new Recorder();
        Link link = connect(endpoint, mine);
        Link theirs = accepted.get(WAIT_SECONDS, TimeUnit.SECONDS);
        int count = 3000;
        Thread other = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                byte[] m = numbered(i, 8 + i % 700);
                m[4] = 'S';
                theirs.send(ByteBuffer.wrap(m));
            }
        }, "conformance-second-sender");
        other.start();
        for (int i = 0; i < count; i++) {
            byte[] m = numbered(i, 8 + i % 500);
            m[4] = 'E';
            link.send(ByteBuffer.wrap(m));
        }
        int echoes = 0;
        int stream = 0;
        while (echoes < count || stream < count) {
            byte[] m = mine.next();
            int n = ByteBuffer.wrap(m).getInt(0);
            if (m[4] == 'E') {
                assertEquals(echoes, n, "echo out of order");
                byte[] expected = numbered(n, 8 + n % 500);
                expected[4] = 'E';
                assertArrayEquals(expected, m, "echo " + n);
                echoes++;
            } else {
                assertEquals('S', m[4], "a message of neither sender");
                assertEquals(stream, n, "the second sender's message out of order");
                byte[] expected = numbered(n, 8 + n % 700);
                expected[4] = 'S';
                assertArrayEquals(expected, m, "second sender's " + n);
                stream++;
            }
        }
        other.join();
        assertTrue(link.isOpen() && theirs.isOpen(), "the link closed: " + mine.closed.getNow(null));
    }

    @Test
    public void aMessageOverTheLimitIsRefusedBySendAndTheLinkStaysUsable() throws Exception {
        Endpoint endpoint = listen(Echo::new);
        Recorder mine = new Recorder();
        Link link = connect(endpoint, mine);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> link.send(ByteBuffer.allocate(MAX_MESSAGE + 1)).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalArgumentException, String.valueOf(e.getCause()));
        link.send(ByteBuffer.wrap(new byte[] {42}));
        assertArrayEquals(new byte[] {42}, mine.next());
    }

    @Test
    public void manyLinksAtOnceKeepTheirMessagesApart() throws Exception {
        Endpoint endpoint = listen(Echo::new);
        int count = 40;
        List<Recorder> recorders = new ArrayList<>();
        List<CompletableFuture<Link>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Recorder r = new Recorder();
            recorders.add(r);
            opening.add(client.connect(profile("c", connectSettings()), connectAddress(endpoint), r).toCompletableFuture());
        }
        List<Link> open = new ArrayList<>();
        for (CompletableFuture<Link> f : opening) {
            Link l = f.get(WAIT_SECONDS * 2, TimeUnit.SECONDS);
            links.add(l);
            open.add(l);
        }
        // Every link sends from its own thread at the same time.
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < count; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int j = 0; j < 50; j++) {
                        open.get(id).send(ByteBuffer.wrap(numbered(id * 1000 + j, 16 + (j * 997) % 20_000)));
                    }
                } catch (Throwable x) {
                    failures.add(x);
                }
            });
            t.start();
            senders.add(t);
        }
        start.countDown();
        for (Thread t : senders) {
            t.join(WAIT_SECONDS * 1000);
        }
        assertTrue(failures.isEmpty(), failures.toString());
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < 50; j++) {
                assertArrayEquals(numbered(i * 1000 + j, 16 + (j * 997) % 20_000), recorders.get(i).next(),
                        "link " + i + " message " + j);
            }
        }
    }

    @Test
    public void aFastSenderIsToldToWaitAndThenToGoOnWithNothingLost() throws Exception {
        MessageDigest expected = sha256();
        MessageDigest got = sha256();
        AtomicLong received = new AtomicLong();
        Endpoint endpoint = listen(() -> new Recorder() {
            @Override
            public void received(Link link, ByteBuffer message) {
                int n = message.remaining();
                synchronized (got) {
                    got.update(message);
                }
                received.addAndGet(n);
            }
        });
        Recorder mine = new Recorder();
        Link link = connect(endpoint, mine);
        ByteBuffer chunk = ByteBuffer.wrap(numbered(7, 256 * 1024));
        int messages = 512; // 128 MiB
        long sent = 0;
        long peakInFlight = 0;
        int waits = 0;
        for (int i = 0; i < messages; i++) {
            // A bulk sender as the layers above are written: stop while congested, go on at writable().
            if (link.congested()) {
                waits++;
                int before = mine.writable.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (link.congested() && mine.writable.get() == before) {
                    if (System.nanoTime() > deadline) {
                        fail("congested for " + WAIT_SECONDS + " s and writable() never came (" + sent + " bytes sent, "
                                + received.get() + " received)");
                    }
                    Thread.sleep(1);
                }
            }
            link.send(chunk.duplicate());
            expected.update(chunk.duplicate());
            sent += chunk.remaining();
            peakInFlight = Math.max(peakInFlight, sent - received.get());
        }
        // The send queue is bounded: the sender never got far ahead of what arrived (devices hold about
        // 1 MiB each side, plus the socket buffers), however fast it produced.
        assertTrue(waits > 0, "128 MiB were sent and the link never reported congestion");
        assertTrue(peakInFlight <= 32L << 20, "the sender got " + (peakInFlight >> 20) + " MiB ahead of the receiver"
                + " without being told to wait (" + waits + " waits)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS * 3);
        while (received.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(sent, received.get());
        assertArrayEquals(expected.digest(), got.digest(), "the bytes that arrived differ from those sent");
    }

    @Test
    public void closingFromTheConnectingSideDeliversWhatWasSentThenTellsBoth() throws Exception {
        Recorded r = connectRecorded();
        Link link = r.link();
        for (int i = 0; i < 100; i++) {
            link.send(ByteBuffer.wrap(numbered(i, 3000)));
        }
        link.close("the supporter is done");
        Recorder theirs = r.accepted().poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(theirs);
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(numbered(i, 3000), theirs.next(), "message " + i + " sent before close()");
        }
        assertNotNull(theirs.closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("the supporter is done", r.mine().closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertFalse(link.isOpen());
        assertThrows(ExecutionException.class,
                () -> link.send(ByteBuffer.wrap(new byte[] {1})).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS));
        link.close("again"); // closing twice does nothing
        Thread.sleep(200);
        assertEquals(List.of("opened", "closed"), r.mine().order, "closed() is called once");
    }

    @Test
    public void closingFromTheListeningSideDeliversWhatWasSentThenTellsBoth() throws Exception {
        CompletableFuture<Recorder> serverSide = new CompletableFuture<>();
        Endpoint endpoint = listen(() -> {
            Recorder r = new Recorder() {
                @Override
                public void opened(Link link) {
                    super.opened(link);
                    // From the link's own thread: send, then close at once.
                    for (int i = 0; i < 100; i++) {
                        link.send(ByteBuffer.wrap(numbered(i, 5000)));
                    }
                    link.close("the Host ends the session");
                }
            };
            serverSide.complete(r);
            return r;
        });
        Recorder mine = new Recorder();
        connect(endpoint, mine);
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(numbered(i, 5000), mine.next(), "message " + i + " sent before close()");
        }
        assertNotNull(mine.closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("the Host ends the session", serverSide.get().closed.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    public void aPeerThatVanishesIsNoticed() throws Exception {
        Endpoint endpoint = listen(Echo::new);
        Recorder mine = new Recorder();
        Link link = connect(endpoint, mine);
        link.send(ByteBuffer.wrap(new byte[] {9}));
        assertArrayEquals(new byte[] {9}, mine.next());
        endpoints.remove(endpoint);
        links.removeIf(l -> l != link);
        CommunicationDevice gone = server;
        vanish(gone);
        server = newDevice(); // stopDevices() stops this one instead
        long seconds = vanishNoticedWithin().toSeconds();
        String reason = mine.closed.get(seconds + 5, TimeUnit.SECONDS);
        assertNotNull(reason);
        assertFalse(link.isOpen());
    }

    @Test
    public void aPeerAnnouncingAnOversizedMessageIsCutOffAndOthersAreServed() throws Exception {
        Endpoint endpoint = listen(Echo::new);
        try (RawPeer raw = rawPeer(endpoint)) {
            raw.write(announceMessageOf((long) MAX_MESSAGE + 1));
            assertTrue(raw.closedByDevice(Duration.ofSeconds(WAIT_SECONDS)),
                    "the device kept a link whose peer announced " + (MAX_MESSAGE + 1) + " bytes");
        }
        assertStillServes(endpoint);
    }

    @Test
    public void garbageFromAPeerNeverBreaksTheEndpoint() throws Exception {
        List<Integer> tooLarge = new CopyOnWriteArrayList<>();
        Endpoint endpoint = listen(() -> new Echo() {
            @Override
            public void received(Link link, ByteBuffer message) {
                if (message.remaining() > MAX_MESSAGE) {
                    tooLarge.add(message.remaining());
                }
                super.received(link, message);
            }
        });
        Random random = new Random(20261121);
        for (int i = 0; i < 30; i++) {
            try (RawPeer raw = rawPeer(endpoint)) {
                byte[] junk = new byte[1 + random.nextInt(i % 3 == 0 ? 100_000 : 300)];
                random.nextBytes(junk);
                raw.write(junk);
            }
        }
        assertTrue(tooLarge.isEmpty(), "messages over the limit were delivered: " + tooLarge);
        assertStillServes(endpoint);
    }

    private void assertStillServes(Endpoint endpoint) throws Exception {
        Recorder mine = new Recorder();
        Link link = connect(endpoint, mine);
        link.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, mine.next());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
