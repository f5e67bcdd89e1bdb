package org.tandemrc.webconsole.internal;

import java.time.Duration;

import jakarta.servlet.Servlet;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.tool.client.RemoteTools;

/**
 * The console's WebSockets: {@code /ws/events} (what the page hears without asking) and
 * {@code /ws/screen?connection=ID} (one remote-control view), {@code /ws/tool-stream} (a tool's streaming
 * operation: a shell, a followed log, a live table). {@link GuardFilter} has checked the
 * login, the CSRF parameter and the Origin before the upgrade reaches this servlet; the creator
 * checks again that a login came with it, so a misconfigured filter cannot open a socket.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/ws/*",
    "osgi.http.whiteboard.servlet.name=tandem-console-sockets"})
public class Sockets extends JettyWebSocketServlet {

    private static final long serialVersionUID = 1L;

    @Reference
    private transient Connections connections;

    @Reference
    private transient Tools tools;

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(Duration.ofMinutes(30));
        factory.setMaxTextMessageSize(2 * 1024 * 1024);
        factory.setMaxBinaryMessageSize(64 * 1024);
        factory.setCreator(this::create);
    }

    private Object create(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
        try {
            if (request.getHttpServletRequest().getAttribute(GuardFilter.LOGIN_ATTRIBUTE) == null) {
                response.sendForbidden("log in first");
                return null;
            }
            String path = request.getRequestPath();
            if (path.endsWith("/ws/events")) {
                return new EventSocket(connections);
            }
            if (path.endsWith("/ws/screen")) {
                var query = request.getHttpServletRequest();
                // The pictures are compressed already: permessage-deflate would only spend both ends' CPU.
                response.setExtensions(java.util.List.of());
                return socket(response, () -> new ScreenSocket(connections,
                        connections.get(query.getParameter("connection")), query.getParameter("display"),
                        query.getParameter("quality"), query.getParameter("colors"), query.getParameter("clipboard")));
            }
            if (path.endsWith("/ws/tool-stream")) {
                var query = request.getHttpServletRequest();
                RemoteTools remote = tools.remoteTools;
                if (remote == null) {
                    response.sendError(404, "remote management is not installed on this Guest");
                    return null;
                }
                return socket(response, () -> new ToolStreamSocket(connections,
                        connections.get(query.getParameter("connection")), remote, query.getParameter("tool"),
                        query.getParameter("operation"), query.getParameter("kind")));
            }
            response.sendError(404, "no such console socket");
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A socket of one connection the page names. */
    @FunctionalInterface
    private interface Opener {
        Object open() throws GuestException;
    }

    /** The socket, or null after 404 (no such connection) or 400 (parameters the page cannot have sent). */
    private static Object socket(JettyServerUpgradeResponse response, Opener opener) throws java.io.IOException {
        try {
            return opener.open();
        } catch (GuestException e) {
            response.sendError(404, e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            response.sendError(400, e.getMessage());
            return null;
        }
    }
}
