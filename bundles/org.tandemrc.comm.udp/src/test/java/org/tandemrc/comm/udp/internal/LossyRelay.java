package org.tandemrc.comm.udp.internal;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback relay between one client and one server that drops, duplicates and reorders datagrams at
 * the given rates (reordering: a datagram is held back and sent after the next one).
 */
final class LossyRelay implements AutoCloseable {

    private final DatagramSocket front;
    private final DatagramSocket back;
    private final InetSocketAddress server;
    private final double drop;
    private final double duplicate;
    private final double reorder;
    private volatile SocketAddress client;
    private volatile boolean running = true;
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong forwarded = new AtomicLong();
    private final Thread up;
    private final Thread down;

    LossyRelay(InetSocketAddress server, double drop, double duplicate, double reorder, long seed) throws IOException {
        this.server = server;
        this.drop = drop;
        this.duplicate = duplicate;
        this.reorder = reorder;
        front = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        back = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        front.setSoTimeout(20);
        back.setSoTimeout(20);
        up = new Thread(() -> pump(front, back, true, new Random(seed)), "lossy-relay-up");
        down = new Thread(() -> pump(back, front, false, new Random(seed + 1)), "lossy-relay-down");
        up.start();
        down.start();
    }

    /** Where the client connects. */
    String address() {
        return "127.0.0.1:" + front.getLocalPort();
    }

    private void pump(DatagramSocket in, DatagramSocket out, boolean upstream, Random random) {
        byte[] buf = new byte[65536];
        DatagramPacket held = null;
        while (running) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                in.receive(p);
            } catch (SocketTimeoutException e) {
                if (held != null) {
                    send(out, held);
                    held = null;
                }
                continue;
            } catch (IOException e) {
                return;
            }
            if (upstream) {
                client = p.getSocketAddress();
            }
            SocketAddress to = upstream ? server : client;
            if (to == null) {
                continue;
            }
            byte[] copy = java.util.Arrays.copyOf(p.getData(), p.getLength());
            DatagramPacket fwd = new DatagramPacket(copy, copy.length, to);
            double r = random.nextDouble();
            if (r < drop) {
                dropped.incrementAndGet();
                continue;
            }
            if (r < drop + reorder && held == null) {
                held = fwd;
                continue;
            }
            send(out, fwd);
            if (r < drop + reorder + duplicate) {
                send(out, fwd);
            }
            if (held != null) {
                send(out, held);
                held = null;
            }
        }
    }

    private void send(DatagramSocket out, DatagramPacket p) {
        try {
            out.send(p);
            forwarded.incrementAndGet();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        up.join(2000);
        down.join(2000);
        front.close();
        back.close();
    }
}
