package org.tandemrc.webconsole.internal;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;

/** {@code /ws/events}: every console event, as JSON text, in order. */
@WebSocket
public class EventSocket {

    private final Connections connections;
    private Runnable stop;

    EventSocket(Connections connections) {
        this.connections = connections;
    }

    @OnWebSocketOpen
    public void open(Session session) {
        Outbox out = new Outbox(session);
        stop = connections.listen(out::text);
    }

    @OnWebSocketClose
    public void close(int status, String reason) {
        if (stop != null) {
            stop.run();
        }
    }
}
