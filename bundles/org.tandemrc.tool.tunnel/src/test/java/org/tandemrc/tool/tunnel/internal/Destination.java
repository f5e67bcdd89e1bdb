package org.tandemrc.tool.tunnel.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP server for the tests to tunnel to: each connection first gets {@code greeting} bytes (a counting
 * pattern), then everything it sends back. Counts its connections.
 */
final class Destination implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();
    private final int greeting;

    Destination(int greeting) throws IOException {
        this.greeting = greeting;
        this.server = new ServerSocket(0, 300, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::serve, "test-destination");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    static byte[] greeting(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 251);
        }
        return b;
    }

    synchronized int connections() {
        return accepted.size();
    }

    /** Whether every accepted connection was closed by the other side (its read saw the end). */
    private final List<Boolean> ended = new ArrayList<>();

    synchronized long openConnections() {
        return ended.stream().filter(e -> !e).count();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int index;
                synchronized (this) {
                    accepted.add(s);
                    ended.add(false);
                    index = ended.size() - 1;
                }
                Thread t = new Thread(() -> echo(s, index), "test-destination-echo");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void echo(Socket s, int index) {
        try (s) {
            OutputStream out = s.getOutputStream();
            out.write(greeting(greeting));
            InputStream in = s.getInputStream();
            in.transferTo(out);
        } catch (IOException e) {
            // the tunnel closed it
        }
        synchronized (this) {
            ended.set(index, true);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
