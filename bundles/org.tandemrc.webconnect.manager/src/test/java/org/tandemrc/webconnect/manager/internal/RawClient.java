package org.tandemrc.webconnect.manager.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;

import io.netty.buffer.ByteBuf;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpClient;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.store.Store;

/** A raw client of a Connection Manager over TCP from a chosen loopback address: one frame out, one frame in. */
final class RawClient implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Every test account's password. */
    static final String PASSWORD = "the right password";
    final Socket s = new Socket();
    final DataOutputStream out;
    final DataInputStream in;

    RawClient(String source, int port) throws IOException {
        s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        out = new DataOutputStream(s.getOutputStream());
        in = new DataInputStream(s.getInputStream());
    }

    /** Adds account {@code name} with {@link #PASSWORD}, its verifier cheap to compute (a test). */
    static void account(ManagerServer m, String name) throws Exception {
        m.accounts().put(name, PasswordVerifier.create(name, PASSWORD.toCharArray(), RANDOM, 1024, 1, 1), 0);
    }

    /** A started manager on 127.0.0.1 with a database of its own, the accounts and the idle timeout. */
    static ManagerServer started(int idleSeconds, String... accounts) throws Exception {
        Store store = new Store("jdbc:h2:mem:manager" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "");
        ManagerServer m = new ManagerServer(new ManagerServer.Settings("m1", "127.0.0.1", 0, "", null, 60, idleSeconds,
                100), store);
        for (String a : accounts) {
            account(m, a);
        }
        m.start();
        return m;
    }

    /** The port a manager listens on. */
    static int port(ManagerServer m) {
        return Integer.parseInt(m.address().substring(m.address().lastIndexOf(':') + 1));
    }

    void frame(byte type, byte[] payload) throws IOException {
        out.writeInt(1 + payload.length);
        out.writeByte(type);
        out.write(payload);
        out.flush();
    }

    void frame(ByteBuf frame) throws IOException {
        try {
            frame.readBytes(out, frame.readableBytes());
            out.flush();
        } finally {
            frame.release();
        }
    }

    /** The next frame (at most a control frame), from its type byte. */
    WireReader read() throws IOException {
        int n = in.readInt();
        if (n < 1 || n > Frames.MAX_CONTROL_FRAME) {
            throw new IOException("a frame of " + n + " bytes");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new WireReader(java.nio.ByteBuffer.wrap(b));
    }

    /** Logs on with SRP; returns "welcome" or the manager's reason. */
    String logOn(String account, String role, String password) throws Exception {
        frame(new Logon.Request(Frames.VERSION, account, role).frame());
        WireReader f = read();
        if (f.u8("type") == Frames.ERROR) {
            return Fields.string(f, "reason");
        }
        frame(Logon.Challenged.read(f).answer(new SrpClient(account, password.toCharArray(), RANDOM), account));
        f = read();
        return f.u8("type") == Frames.WELCOME ? "welcome" : Fields.string(f, "reason");
    }

    /** The manager's ERROR reason, after which it closes the connection. */
    String refusal() throws Exception {
        WireReader f = read();
        assertEquals(Frames.ERROR, f.u8("type"));
        String reason = Fields.string(f, "reason");
        assertEquals(-1, in.read(), "the manager closes the connection after the refusal");
        return reason;
    }

    @Override
    public void close() throws IOException {
        s.close();
    }
}
