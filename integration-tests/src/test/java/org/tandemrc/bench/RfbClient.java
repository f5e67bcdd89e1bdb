package org.tandemrc.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal VNC (RFB 3.8) viewer for the benchmark: no password, asks for ZRLE (lossless, zlib) and
 * CopyRect, requests the next incremental update as soon as one arrives (as viewers do), counts
 * updates, and skips pixel data without drawing it.
 */
final class RfbClient implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int bytesPerPixel;
    final AtomicLong updates = new AtomicLong();
    private final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    RfbClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 65536));
        out = new DataOutputStream(socket.getOutputStream());
        handshake();
        Thread reader = new Thread(this::readLoop, "rfb-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void handshake() throws IOException {
        byte[] version = new byte[12];
        in.readFully(version);
        out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        int types = in.readUnsignedByte();
        if (types == 0) {
            throw new IOException("VNC server refused: " + reason());
        }
        byte[] offered = new byte[types];
        in.readFully(offered);
        out.writeByte(1); // None
        if (in.readInt() != 0) {
            throw new IOException("VNC security failed: " + reason());
        }
        out.writeByte(1); // shared
        int width = in.readUnsignedShort();
        int height = in.readUnsignedShort();
        byte[] format = new byte[16];
        in.readFully(format);
        bytesPerPixel = (format[0] & 0xff) / 8;
        byte[] name = new byte[in.readInt()];
        in.readFully(name);
        out.writeByte(2); // SetEncodings
        out.writeByte(0);
        out.writeShort(2);
        out.writeInt(16); // ZRLE
        out.writeInt(1); // CopyRect
        request(false, width, height);
        this.width = width;
        this.height = height;
    }

    private int width;
    private int height;

    private String reason() throws IOException {
        byte[] r = new byte[in.readInt()];
        in.readFully(r);
        return new String(r, StandardCharsets.UTF_8);
    }

    private synchronized void request(boolean incremental, int w, int h) throws IOException {
        out.writeByte(3);
        out.writeByte(incremental ? 1 : 0);
        out.writeShort(0);
        out.writeShort(0);
        out.writeShort(w);
        out.writeShort(h);
        out.flush();
    }

    /** Sends a key press and release. */
    synchronized void key(int keysym) throws IOException {
        for (int down = 1; down >= 0; down--) {
            out.writeByte(4);
            out.writeByte(down);
            out.writeShort(0);
            out.writeInt(keysym);
        }
        out.flush();
    }

    private void readLoop() {
        try {
            while (!closed) {
                int type = in.readUnsignedByte();
                switch (type) {
                    case 0 -> {
                        in.readUnsignedByte();
                        int rects = in.readUnsignedShort();
                        for (int i = 0; i < rects; i++) {
                            in.readUnsignedShort();
                            in.readUnsignedShort();
                            int w = in.readUnsignedShort();
                            int h = in.readUnsignedShort();
                            int enc = in.readInt();
                            switch (enc) {
                                case 0 -> in.skipNBytes((long) w * h * bytesPerPixel);
                                case 1 -> in.skipNBytes(4);
                                case 16 -> in.skipNBytes(in.readInt());
                                default -> throw new IOException("unexpected encoding " + enc);
                            }
                        }
                        updates.incrementAndGet();
                        arrivals.add(System.nanoTime());
                        request(true, width, height);
                    }
                    case 1 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                        in.skipNBytes(6L * in.readUnsignedShort());
                    }
                    case 2 -> {
                        // bell
                    }
                    case 3 -> {
                        in.skipNBytes(3);
                        in.skipNBytes(in.readInt());
                    }
                    default -> throw new IOException("unexpected VNC message " + type);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                System.err.println("VNC client: " + e);
            }
        }
    }

    /** Presses 'x' whenever the screen is still and times the next update: {median, p95} in ms. */
    double[] latency(int samples) throws IOException, InterruptedException {
        long[] times = new long[samples];
        for (int i = 0; i < samples; i++) {
            while (arrivals.poll(300, TimeUnit.MILLISECONDS) != null) {
                // wait for stillness
            }
            long t0 = System.nanoTime();
            key(0x78);
            Long t = arrivals.poll(5, TimeUnit.SECONDS);
            if (t == null) {
                throw new IOException("no VNC update within 5 s of a keystroke");
            }
            times[i] = t - t0;
        }
        Arrays.sort(times);
        return new double[] {times[samples / 2] / 1e6, times[Math.min(samples - 1, (int) Math.ceil(samples * 0.95) - 1)] / 1e6};
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }
}
