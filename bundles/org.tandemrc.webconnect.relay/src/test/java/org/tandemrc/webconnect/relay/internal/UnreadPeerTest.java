package org.tandemrc.webconnect.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.PreparedStatement;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.PairingToken;
import org.tandemrc.webconnect.store.Store;

/**
 * The attack on a splice: one side of a pairing sends as fast as it can while the other never reads. The
 * relay must stop reading the sender once what it holds for the reader passes its water mark, so the
 * sender's writes block after the socket buffers and the relay's bounded share are full, instead of the
 * relay buffering everything the sender writes.
 */
class UnreadPeerTest {

    /** What the attacker tries to push through; far more than any socket buffers plus the relay's bound. */
    private static final long ATTEMPT = 256L << 20;
    /**
     * What may pass before the attacker blocks: the reader's and the sender's socket buffers on loopback
     * (autotuned, a few MiB each way), the relay's own receive and send buffers, and its 1 MiB water mark.
     */
    private static final long BOUND = 48L << 20;

    private Store store;
    private RelayServer relay;
    private KeyPair manager;

    @BeforeEach
    void start() throws Exception {
        store = new Store("jdbc:h2:mem:unread-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "");
        manager = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        store.run(c -> {
            try (PreparedStatement i = c.prepareStatement(
                    "insert into wc_manager (id, public_key, address, heartbeat) values (?,?,?,?)")) {
                i.setString(1, "m1");
                i.setString(2, PairingToken.encode(manager.getPublic()));
                i.setString(3, "127.0.0.1:1");
                i.setLong(4, System.currentTimeMillis());
                i.executeUpdate();
            }
            return null;
        });
        relay = new RelayServer(new RelayServer.Settings("r1", "127.0.0.1", 0, "", 0, 0, 120, 20), store);
        relay.start();
    }

    @AfterEach
    void stop() throws Exception {
        relay.stop(true);
        store.close();
    }

    private Socket dial(byte[] pairing, byte role, int receiveBuffer) throws IOException {
        String[] hp = relay.address().split(":");
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 5000);
        byte[] token = new PairingToken(pairing, role, relay.id(), System.currentTimeMillis() + 60_000, "m1")
                .sign(manager.getPrivate());
        byte[] frame = io.netty.buffer.ByteBufUtil.getBytes(
                Frames.frame(Frames.RELAY_TOKEN, Fields.bytes(new WireWriter(), token)));
        s.getOutputStream().write(frame);
        s.getOutputStream().flush();
        return s;
    }

    private static void awaitPaired(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        int length = in.readInt();
        assertEquals(1, length);
        assertEquals(Frames.RELAY_PAIRED, in.readByte());
    }

    @Test
    void aPeerThatNeverReadsStopsTheRelayReadingItsPartner() throws Exception {
        byte[] pairing = new byte[16];
        new java.security.SecureRandom().nextBytes(pairing);
        try (Socket reader = dial(pairing, Frames.ROLE_GUEST, 16 << 10);
                Socket sender = dial(pairing, Frames.ROLE_HOST, 64 << 10)) {
            awaitPaired(sender);
            // The reader reads nothing, not even RELAY_PAIRED.
            AtomicLong written = new AtomicLong();
            Thread flood = new Thread(() -> {
                byte[] chunk = new byte[64 << 10];
                try {
                    OutputStream out = sender.getOutputStream();
                    while (written.get() < ATTEMPT) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            }, "unread-peer-flood");
            flood.setDaemon(true);
            flood.start();
            // Wait until the attacker makes no progress for a while (it blocks), or got everything through.
            long last = -1;
            int still = 0;
            while (still < 10 && written.get() < ATTEMPT && flood.isAlive()) {
                Thread.sleep(100);
                long now = written.get();
                still = now == last ? still + 1 : 0;
                last = now;
            }
            long passed = written.get();
            assertTrue(passed < BOUND, "the relay took " + (passed >> 20) + " MiB from a sender whose partner never"
                    + " reads (bound " + (BOUND >> 20) + " MiB): it buffers instead of stopping to read");
            assertEquals(1, relay.sessions());
            // Still a working splice: the reader gets what was sent, in order, once it reads.
            InputStream in = reader.getInputStream();
            awaitPaired(reader);
            byte[] buf = new byte[64 << 10];
            long got = 0;
            while (got < 1 << 20) {
                int n = in.read(buf);
                assertTrue(n > 0, "the splice ended");
                got += n;
            }
            sender.close();
            flood.join(10_000);
        }
    }
}
