package org.tandemrc.protocol;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Records what one side of a connection hears: the end of the key exchange, the control messages in
 * order, and the close. A client that drives its logon step by step (the Guest, and the tests that play
 * one) polls {@link #control}. Session requests get the listener's default answer; a side that serves
 * sessions extends this.
 */
public class ControlRecorder implements Connection.Listener {
    public final CompletableFuture<Connection> secured = new CompletableFuture<>();
    public final BlockingQueue<ControlMessage> control = new LinkedBlockingQueue<>();
    public final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public void secured(Connection connection) {
        secured.complete(connection);
    }

    @Override
    public void control(Connection connection, ControlMessage message) {
        control.add(message);
    }

    @Override
    public void closed(Connection connection, String reason) {
        closed.complete(reason);
    }
}
