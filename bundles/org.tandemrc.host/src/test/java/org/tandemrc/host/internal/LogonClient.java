package org.tandemrc.host.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ControlRecorder;
import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.SrpClient;

/** A Guest that speaks the real protocol from a chosen source address, step by step, as an attacker would. */
final class LogonClient extends ControlRecorder {

    static final SecureRandom RANDOM = new SecureRandom();
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
        connection.send(LogonMessages.start(null));
    }

    /** The next control message, or null when none came in time. */
    ControlMessage next(long millis) throws InterruptedException {
        return control.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Answers a challenge with {@code password}. */
    void prove(ControlMessage challenge, String password) throws Exception {
        ClientResponse r = new SrpClient("*", password.toCharArray(), RANDOM)
                .respond(LogonMessages.challenge(challenge), connection.binding());
        connection.send(LogonMessages.proof(r));
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
    public void closed(Connection c, String reason) {
        super.closed(c, reason);
        secured.completeExceptionally(new IOException(reason));
    }
}
