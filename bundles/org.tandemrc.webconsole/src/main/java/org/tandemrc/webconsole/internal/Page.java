package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;

/**
 * The page itself: the few static files under {@code web/} in this bundle, and under
 * {@code web/vendor/} the design system's CSS and icon font (Bootstrap, Bootstrap Icons) and the terminal emulator
 * (xterm.js). They hold no data, so
 * they are served without a login (the page shows the login form); everything else is under
 * {@code /api/} and {@code /ws/}.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/",
    "osgi.http.whiteboard.servlet.name=tandem-console-page"})
public class Page extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "woff2", "font/woff2",
            "woff", "font/woff");

    /** The design system's files, by the names the page (and the icon CSS's font URLs) ask for. */
    private static final String BOOTSTRAP = "META-INF/resources/webjars/bootstrap/5.3.3/";
    private static final String ICONS = "META-INF/resources/webjars/bootstrap-icons/1.11.3/";
    private static final Map<String, String> VENDOR = Map.of(
            "vendor/bootstrap.min.css", BOOTSTRAP + "dist/css/bootstrap.min.css",
            "vendor/bootstrap-icons.min.css", ICONS + "font/bootstrap-icons.min.css",
            "vendor/fonts/bootstrap-icons.woff2", ICONS + "font/fonts/bootstrap-icons.woff2",
            "vendor/fonts/bootstrap-icons.woff", ICONS + "font/fonts/bootstrap-icons.woff",
            // xterm.js, the terminal emulator, is on npm only: scripts/fetch-xterm.sh put it here (docs/architecture.md).
            "vendor/xterm.js", "xterm/lib/xterm.js",
            "vendor/xterm.css", "xterm/css/xterm.css");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        if (path.equals("/") || path.isEmpty()) {
            path = "/index.html";
        }
        String name = path.substring(1);
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        String resource = name.startsWith("vendor/") ? VENDOR.get(name) : "web/" + name;
        if (type == null || resource == null || !name.matches("(vendor/(fonts/)?)?[a-z0-9-]+\\.[a-z0-9.]+")) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream in = Page.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            byte[] bytes = in.readAllBytes();
            resp.setContentType(type);
            resp.setHeader("Cache-Control", "no-cache");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }
}
