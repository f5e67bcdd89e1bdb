package org.tandemrc.host.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkHandler;

/**
 * A client link over a plain socket from a chosen source address (127.0.0.x), framed as the tcp
 * device frames (4-byte length): lets a test attack from many addresses as real TCP peers.
 */
final class SocketLink implements Link {

    private final Socket socket;
    private final DataOutputStream out;
    private volatile boolean open = true;

    private SocketLink(Socket socket) throws IOException {
        this.socket = socket;
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    static SocketLink connect(String source, int port, LinkHandler handler) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SocketLink link = new SocketLink(s);
        handler.opened(link);
        Thread reader = new Thread(() -> {
            String why = "closed by the peer";
            try {
                DataInputStream in = new DataInputStream(s.getInputStream());
                while (true) {
                    int n = in.readInt();
                    byte[] b = new byte[n];
                    in.readFully(b);
                    handler.received(link, ByteBuffer.wrap(b));
                }
            } catch (IOException e) {
                why = e.getMessage() == null ? "closed" : e.getMessage();
            } finally {
                link.open = false;
                handler.closed(link, why);
            }
        }, "socket-link " + source);
        reader.setDaemon(true);
        reader.start();
        return link;
    }

    @Override
    public int maxMessageSize() {
        return 1 << 20;
    }

    @Override
    public CompletionStage<Void> send(ByteBuffer message) {
        try {
            byte[] b = new byte[message.remaining()];
            message.duplicate().get(b);
            synchronized (out) {
                out.writeInt(b.length);
                out.write(b);
                out.flush();
            }
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean congested() {
        return false;
    }

    @Override
    public void close(String reason) {
        open = false;
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public boolean isOpen() {
        return open && !socket.isClosed();
    }

    @Override
    public String localAddress() {
        return socket.getLocalSocketAddress().toString();
    }

    @Override
    public String remoteAddress() {
        return socket.getRemoteSocketAddress().toString();
    }
}
