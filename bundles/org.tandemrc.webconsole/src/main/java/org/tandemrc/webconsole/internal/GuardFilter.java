package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The one gate in front of every console request. It answers only to loopback or configured Host
 * names (DNS rebinding), refuses state-changing requests and WebSocket upgrades whose Origin is not
 * the console's own, and lets an API request or WebSocket through only with a live login cookie and
 * that login's CSRF token (header {@value #CSRF_HEADER}, or parameter {@code csrf} for WebSockets,
 * which cannot carry headers). Only {@link #PUBLIC} API paths and the page's static files (which
 * hold no data) are open without a login; the {@link #ADMINISTRATORS} paths need an administrator's. Every answer carries a strict content security policy.
 */
@Component(service = Filter.class, property = {
    "osgi.http.whiteboard.filter.pattern=/*",
    "osgi.http.whiteboard.filter.name=tandem-console-guard"})
public class GuardFilter implements Filter {

    static final String CSRF_HEADER = "X-Tandem-Csrf";
    static final String LOGIN_ATTRIBUTE = "tandem.login";
    static final String TOKEN_ATTRIBUTE = "tandem.token";
    /** API paths open without a login: what the page needs to show its login or setup form. */
    static final Set<String> PUBLIC = Set.of("/api/state", "/api/login", "/api/setup", "/api/setup/who");
    /** API paths only an administrator's login may use (the rest need any login). */
    static final String ADMINISTRATORS = "/api/accounts";
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    @Reference
    private Logins logins;

    public GuardFilter() {
    }

    GuardFilter(Logins logins) {
        this.logins = logins;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) resp;
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        Refusal refusal = refusal(request);
        if (refusal != null) {
            drain(request, response);
            Api.error(response, refusal.status(), refusal.message());
            return;
        }
        chain.doFilter(req, resp);
    }

    /** Why a request is refused: 401 for a missing login (the page then shows its login form), else 403. */
    record Refusal(int status, String message) {
        static Refusal forbidden(String message) {
            return new Refusal(HttpServletResponse.SC_FORBIDDEN, message);
        }
    }

    /** Null to let the request through, else why it is refused. */
    String verdict(HttpServletRequest request) {
        Refusal r = refusal(request);
        return r == null ? null : r.message();
    }

    private Refusal refusal(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (!logins.allowedHost(host)) {
            return Refusal.forbidden("this console answers to 127.0.0.1 and localhost only (not to '" + host
                    + "'); add the name to allowed.hosts in etc/" + Logins.PID + ".cfg");
        }
        String path = request.getRequestURI();
        boolean api = path.startsWith("/api/") || path.equals("/api");
        boolean socket = path.startsWith("/ws/") || path.equals("/ws");
        String origin = request.getHeader("Origin");
        boolean safe = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        if ((socket || !safe) && (origin == null || !sameOrigin(origin, host))) {
            return Refusal.forbidden("cross-site requests are refused");
        }
        if (!api && !socket) {
            return null;
        }
        if (api && PUBLIC.contains(path)) {
            return null;
        }
        String token = cookie(request);
        Logins.Login login = logins.find(token);
        if (login == null) {
            return new Refusal(HttpServletResponse.SC_UNAUTHORIZED, "log in first: this console needs your user name and password");
        }
        String csrf = socket ? request.getParameter("csrf") : request.getHeader(CSRF_HEADER);
        // A download is the browser's own, from a plain link that cannot carry the header: its one-time ticket,
        // handed to this login by a request that carried it, stands for the token (Api checks it).
        boolean ticketed = safe && path.equals(Api.FETCH);
        if (!ticketed && (csrf == null || !java.security.MessageDigest.isEqual(csrf.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                login.csrf.getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
            return Refusal.forbidden("the request lacks this login's CSRF token");
        }
        if ((path.equals(ADMINISTRATORS) || path.startsWith(ADMINISTRATORS + "/")) && !logins.administrator(login)) {
            return Refusal.forbidden("only an administrator of the console manages its accounts");
        }
        request.setAttribute(LOGIN_ATTRIBUTE, login);
        request.setAttribute(TOKEN_ATTRIBUTE, token);
        return null;
    }

    /**
     * Reads what is left of a refused request's body (up to 64 KiB), so the connection stays usable
     * for the client's next request; a larger body closes the connection instead.
     */
    private static void drain(HttpServletRequest request, HttpServletResponse response) {
        try {
            java.io.InputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            long left = 64 * 1024;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
            if (left <= 0) {
                response.setHeader("Connection", "close");
            }
        } catch (IOException e) {
            response.setHeader("Connection", "close");
        }
    }

    private static boolean sameOrigin(String origin, String host) {
        return origin.equals("http://" + host) || origin.equals("https://" + host);
    }

    static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(Logins.COOKIE)) {
                return c.getValue();
            }
        }
        return null;
    }
}
