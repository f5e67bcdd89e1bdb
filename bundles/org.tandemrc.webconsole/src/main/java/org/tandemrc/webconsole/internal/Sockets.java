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
                try {
                    return new ScreenSocket(connections, connections.get(query.getParameter("connection")),
                            query.getParameter("display"), query.getParameter("quality"), query.getParameter("colors"),
                            query.getParameter("clipboard"));
                } catch (GuestException e) {
                    response.sendError(404, e.getMessage());
                    return null;
                } catch (IllegalArgumentException e) {
                    response.sendError(400, e.getMessage());
                    return null;
                }
            }
            if (path.endsWith("/ws/tool-stream")) {
                var query = request.getHttpServletRequest();
                if (tools == null || tools.remoteTools == null) {
                    response.sendError(404, "remote management is not installed on this Guest");
                    return null;
                }
                try {
                    return new ToolStreamSocket(connections, connections.get(query.getParameter("connection")),
                            tools.remoteTools, query.getParameter("tool"), query.getParameter("operation"),
                            query.getParameter("kind"));
                } catch (GuestException e) {
                    response.sendError(404, e.getMessage());
                    return null;
                } catch (IllegalArgumentException e) {
                    response.sendError(400, e.getMessage());
                    return null;
                }
            }
            response.sendError(404, "no such console socket");
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
