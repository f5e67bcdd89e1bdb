package org.tandemrc.host.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.SrpClient;

/** A Guest that speaks the real protocol from a chosen source address, step by step, as an attacker would. */
final class LogonClient implements Connection.Listener {

    static final SecureRandom RANDOM = new SecureRandom();
    final BlockingQueue<ControlMessage> control = new LinkedBlockingQueue<>();
    final CompletableFuture<Connection> secured = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    Connection connection;
    SocketLink link;

    static LogonClient connect(String source, int port) throws IOException {
        LogonClient c = new LogonClient();
        c.connection = Connection.guest("attacker", "", c, null, RANDOM);
        c.link = SocketLink.connect(source, port, c.connection);
        return c;
    }

    /** Waits for the key exchange; false when the connection closed or 10 s passed first. */
    boolean awaitSecured() throws InterruptedException {
        try {
            secured.get(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    void start() {
        connection.send(ControlMessage.of("auth.start").with("method", "shared-password"));
    }

    /** The next control message, or null when none came in time. */
    ControlMessage next(long millis) throws InterruptedException {
        return control.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Answers a challenge with {@code password}. */
    void prove(ControlMessage challenge, String password) throws Exception {
        Challenge ch = new Challenge(challenge.integer("m", 1, Integer.MAX_VALUE),
                challenge.integer("t", 1, Integer.MAX_VALUE), challenge.integer("p", 1, Integer.MAX_VALUE),
                challenge.bytes("salt"), challenge.bigInteger("B", 384));
        ClientResponse r = new SrpClient("*", password.toCharArray(), RANDOM).respond(ch, connection.binding());
        connection.send(ControlMessage.of("auth.proof").with("A", r.clientPublic()).with("proof", r.proof()));
    }

    /**
     * Connects, logs on with {@code password} and returns the answer's type (auth.ok, auth.failed,
     * auth.refused) or why there was none.
     */
    static String logOn(String source, int port, String password) throws Exception {
        LogonClient c = connect(source, port);
        try {
            if (!c.awaitSecured()) {
                return "not secured: " + c.closed.getNow("still open");
            }
            c.start();
            ControlMessage ch = c.next(10_000);
            if (ch == null || !ch.type().equals("auth.challenge")) {
                return ch == null ? "no challenge: " + c.closed.getNow("still open") : ch.type() + " " + ch.text("reason", "");
            }
            c.prove(ch, password);
            ControlMessage a = c.next(15_000);
            return a == null ? "no answer: " + c.closed.getNow("still open") : a.type();
        } finally {
            c.link.close("done");
        }
    }

    @Override
    public void secured(Connection c) {
        secured.complete(c);
    }

    @Override
    public void control(Connection c, ControlMessage message) {
        control.add(message);
    }

    @Override
    public void closed(Connection c, String reason) {
        closed.complete(reason);
        secured.completeExceptionally(new IOException(reason));
    }
}
