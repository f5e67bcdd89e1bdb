package org.tandemrc.webconsole.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Sends on a WebSocket one message at a time, each once the one before has gone, so a slow browser
 * slows the sender instead of filling memory. A send that fails or waits over 20 s closes the socket.
 */
final class Outbox {

    private final Session session;

    Outbox(Session session) {
        this.session = session;
    }

    synchronized boolean text(String text) {
        if (!session.isOpen()) {
            return false;
        }
        Callback.Completable done = new Callback.Completable();
        session.sendText(text, done);
        return await(done);
    }

    synchronized boolean binary(ByteBuffer bytes) {
        if (!session.isOpen()) {
            return false;
        }
        Callback.Completable done = new Callback.Completable();
        session.sendBinary(bytes, done);
        return await(done);
    }

    private boolean await(Callback.Completable done) {
        try {
            done.get(20, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            session.close(1011, "the browser does not keep up", Callback.NOOP);
            return false;
        }
    }

    /** A page's JSON message as an object; null once the socket is closed for a malformed one (1003). */
    java.util.Map<String, Object> object(String text) {
        try {
            return Json.object(text);
        } catch (Json.Malformed e) {
            close(1003, e.getMessage());
            return null;
        }
    }

    void close(int status, String reason) {
        session.close(status, reason.length() > 120 ? reason.substring(0, 120) : reason, Callback.NOOP);
    }
}
