package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.adhoc.SupportDesk;
import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.Place;
import org.tandemrc.api.files.TransferListener;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;
import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.message.RemoteMessages;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HelpDesk;
import org.tandemrc.api.guest.HelpRequest;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.phonebook.Phonebook;
import org.tandemrc.api.phonebook.PhonebookException;
import org.tandemrc.api.phonebook.Phonebooks;
import org.tandemrc.api.tool.ToolException;

/**
 * The console's JSON API under {@code /api/}. {@link GuardFilter} has checked the login and CSRF
 * token of every route but {@link GuardFilter#PUBLIC} before a request reaches this servlet.
 * Errors are {@code {"error": sentence}} with a 4xx status a person can act on.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/api/*",
    "osgi.http.whiteboard.servlet.name=tandem-console-api"})
public class Api extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger("org.tandemrc.webconsole");

    /** A request as a route sees it: the servlet's request and response, and the JSON body of a POST. */
    record Call(HttpServletRequest req, HttpServletResponse resp, Map<String, Object> body) {
        String text(String name, boolean required) throws Problem {
            return string(body, name, required);
        }

        String query(String name) {
            return req.getParameter(name);
        }

        /** The login the guard let through (null on the public routes). */
        Logins.Login login() {
            return (Logins.Login) req.getAttribute(GuardFilter.LOGIN_ATTRIBUTE);
        }

        String remote() {
            return req.getRemoteAddr();
        }
    }

    /** What one route answers, as an object written as JSON. */
    @FunctionalInterface
    private interface Route {
        Object answer(Api api, Call c) throws Exception;
    }

    private static final Map<String, Object> OK = Map.of("ok", true);

    /** What a route answers when it wrote the response itself (a download). */
    static final Object WRITTEN = new Object();

    /** The route whose body is a file from the browser, not JSON. */
    static final String UPLOAD = "POST /api/files/upload";

    /** The path a download's link fetches, with its ticket instead of the CSRF header. */
    static final String FETCH = "/api/files/fetch";

    /** At most this many files and folders go in one transfer. */
    static final int MAX_SOURCES = 1000;

    /** The Security Server's pages' routes, each answered by {@link SecurityPages#answer}. */
    static final List<String> SECURITY_ROUTES = List.of(
            "GET /api/security",
            "POST /api/security/nodes/approve",
            "POST /api/security/nodes/disable",
            "POST /api/security/guests/add",
            "POST /api/security/guests/disable",
            "POST /api/security/guests/enable",
            "POST /api/security/guests/delete",
            "POST /api/security/rules/add",
            "POST /api/security/rules/remove",
            "POST /api/security/otp/enrol",
            "POST /api/security/otp/require",
            "POST /api/security/audit/search",
            "POST /api/security/audit/verify",
            "POST /api/security/audit/export");

    /** The route table: "METHOD /api/path" to what answers it. */
    private static final Map<String, Route> TABLE = table();

    /** Every route, as "METHOD /api/path", for the page and for the tests that check the guard. */
    static final List<String> ROUTES = List.copyOf(TABLE.keySet());

    private static Map<String, Route> table() {
        Map<String, Route> t = new LinkedHashMap<>();
        t.put("GET /api/state", (api, c) -> api.state(c.req()));
        t.put("POST /api/setup", (api, c) -> api.loggedIn(c, api.logins.setup(c.text("token", false),
                c.text("user", false), c.text("password", true), c.remote())));
        t.put("POST /api/setup/who", (api, c) -> Map.of("user", api.logins.setupFor(c.text("token", true))));
        t.put("POST /api/login", (api, c) -> api.loggedIn(c, api.logins.login(c.text("user", false),
                c.text("password", true), c.text("otp", false), c.remote())));
        t.put("POST /api/logout", (api, c) -> api.logout(c));
        t.put("POST /api/password", (api, c) -> {
            api.logins.changePassword(c.login(), c.text("current", true), c.text("password", true), c.remote());
            return OK;
        });
        t.put("GET /api/accounts", (api, c) -> Map.of("accounts", api.logins.accounts(), "you", c.login().account));
        t.put("POST /api/accounts/add", (api, c) -> Map.of("token", api.logins.add(c.login(), c.text("user", true),
                c.text("role", true), c.remote())));
        for (Logins.Change change : Logins.Change.values()) {
            t.put("POST /api/accounts/" + change.name().toLowerCase(java.util.Locale.ROOT), (api, c) -> {
                String token = api.logins.change(c.login(), change, c.text("user", true),
                        c.text("role", change == Logins.Change.ROLE), c.remote());
                return token == null ? OK : Map.of("token", token);
            });
        }
        t.put("GET /api/phonebook", (api, c) -> api.phonebook(c));
        t.put("POST /api/phonebook/use", (api, c) -> api.usePhonebook(c));
        t.put("POST /api/phonebook/move", (api, c) -> api.movePhonebookEntry(c));
        t.put("POST /api/phonebook/save", (api, c) -> api.savePhonebookEntry(c));
        t.put("POST /api/phonebook/delete", (api, c) -> Map.of("deleted",
                api.book(c).delete(c.text("folder", false), c.text("description", true))));
        t.put("POST /api/phonebook/folder", (api, c) -> {
            api.book(c).createFolder(c.text("folder", true));
            return OK;
        });
        t.put("POST /api/phonebook/folder-delete", (api, c) -> {
            api.book(c).deleteFolder(c.text("folder", true));
            return OK;
        });
        t.put("POST /api/phonebook/export", (api, c) -> Map.of("csv",
                api.book(c).exportCsv(c.text("folder", false), passphrase(c.body()))));
        t.put("POST /api/phonebook/import", (api, c) -> Map.of("imported",
                api.book(c).importCsv(c.text("folder", false), c.text("csv", true), passphrase(c.body())).size()));
        t.put("POST /api/phonebook/export-dwc", (api, c) -> Map.of("xml", api.book(c).exportDwc(
                c.text("folder", false), c.text("description", true), passphrase(c.body()))));
        t.put("POST /api/phonebook/import-dwc", (api, c) -> Map.of("entry", entry(api.book(c).importDwc(
                c.text("folder", false), c.text("xml", true), passphrase(c.body())))));
        t.put("GET /api/history", (api, c) -> Map.of("history", api.connections.history(c.login().account,
                api.logins.administrator(c.login()))));
        t.put("GET /api/connections", (api, c) -> Map.of("connections", api.connections.list()));
        t.put("POST /api/connect", (api, c) -> api.connect(c));
        t.put("POST /api/invitation/read", (api, c) -> shown(invitation(c.text("invitation", true))));
        t.put("POST /api/invitation/connect", (api, c) -> Map.of("connection", api.connections.connect(
                invitation(c.text("invitation", true)), c.text("password", true).toCharArray(),
                c.login().account).describe()));
        t.put("POST /api/disconnect", (api, c) -> {
            api.connections.close(c.text("connection", true));
            return OK;
        });
        t.put("POST /api/message", (api, c) -> Map.of("result",
                api.message(c.text("connection", true), c.text("text", true))));
        t.put("POST /api/chat/open", (api, c) -> {
            api.connections.get(c.text("connection", true)).chat.open();
            return OK;
        });
        t.put("POST /api/chat/send", (api, c) -> {
            api.connections.get(c.text("connection", true)).chat.send(c.text("text", true));
            return OK;
        });
        t.put("POST /api/chat/end", (api, c) -> {
            api.connections.get(c.text("connection", true)).chat.end();
            return OK;
        });
        t.put("GET /api/files/local", (api, c) -> api.localFolder(c.query("path")));
        t.put("GET /api/files/host", (api, c) -> api.hostFolder(c.query("connection"), c.query("path")));
        t.put("POST /api/files/transfer", (api, c) -> api.transfer(c.body()));
        t.put("POST /api/files/offer", (api, c) -> api.offer(c.body()));
        t.put("POST /api/files/mkdir", (api, c) -> api.fileChange(c.body(), true));
        t.put("POST /api/files/delete", (api, c) -> api.fileChange(c.body(), false));
        t.put(UPLOAD, (api, c) -> api.upload(c));
        t.put("POST /api/files/download", (api, c) -> api.download(c));
        t.put("GET " + FETCH, (api, c) -> api.fetch(c));
        t.put("POST /api/files/cancel", (api, c) -> Map.of("cancelled", api.cancel(c.text("transfer", true))));
        t.put("GET /api/tools", (api, c) -> api.tools.list(api.connections.get(c.query("connection"))));
        t.put("POST /api/tools/invoke", (api, c) -> api.tools.invoke(api.connections.get(c.text("connection", true)),
                c.text("tool", true), c.text("operation", true), strings(c.body().get("arguments"))));
        t.put("POST /api/batch/run", (api, c) -> api.batch.start(api.book(c), c.login().account, c.body()));
        t.put("GET /api/batch", (api, c) -> api.batch.state(c.query("id"), c.login().account));
        t.put("GET /api/help", (api, c) -> api.helpRequests());
        t.put("POST /api/help/take", (api, c) -> api.takeHelpRequest(c));
        t.put("POST /api/help/decline", (api, c) -> api.declineHelpRequest(c));
        t.put("GET /api/support", (api, c) -> api.support.state(c.login().account));
        t.put("POST /api/support/new", (api, c) -> api.support.create(c));
        for (SupportDesk.Change change : SupportDesk.Change.values()) {
            t.put("POST /api/support/" + change.name().toLowerCase(java.util.Locale.ROOT),
                    (api, c) -> api.support.change(c, change));
        }
        for (String route : SECURITY_ROUTES) {
            t.put(route, (api, c) -> securityPages(api.securityPages, api.logins.administrator(c.login()))
                    .answer(route, c, c.login().account, c.remote()));
        }
        return java.util.Collections.unmodifiableMap(t);
    }

    @Reference
    private transient Logins logins;
    @Reference
    private transient Connections connections;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Phonebook phonebook;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Phonebooks phonebooks;
    @Reference
    private transient Tools tools;
    @Reference
    private transient Batch batch;
    /** Present while this node also runs the Security Server (feature security-server). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile SecurityPages securityPages;
    @Reference
    private transient Support support;

    private static final java.time.Duration MESSAGE_CONFIRMATION = java.time.Duration.ofSeconds(60);

    private final AtomicInteger transfers = new AtomicInteger();

    /** The transfers under way, by id, for Cancel. */
    private final Map<String, Running> running = new java.util.concurrent.ConcurrentHashMap<>();

    private final transient BrowserFiles browserFiles = new BrowserFiles(Path.of(System.getProperty("java.io.tmpdir")));

    /** Downloads not fetched yet go with the console. */
    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        browserFiles.clear();
    }

    /** A request the console refuses, with its status and sentence. */
    static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Problem(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle("GET", req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        handle("POST", req, resp);
    }

    private void handle(String method, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        String route = method + " " + req.getRequestURI();
        Route r = TABLE.get(route);
        if (r == null) {
            error(resp, HttpServletResponse.SC_NOT_FOUND, "no such console request: " + route);
            return;
        }
        try {
            Map<String, Object> body = method.equals("POST") && !route.equals(UPLOAD) ? body(req) : Map.of();
            Object answer = r.answer(this, new Call(req, resp, body));
            if (answer != WRITTEN) {
                send(resp, HttpServletResponse.SC_OK, answer);
            }
        } catch (Problem p) {
            error(resp, p.status, p.getMessage());
        } catch (GuestException e) {
            send(resp, status(e.reason()), guestError(e));
        } catch (CentralLogon.CodeRequired e) {
            resp.setHeader("Cache-Control", "no-store");
            send(resp, HttpServletResponse.SC_BAD_REQUEST, Map.of("error", e.getMessage(), "codeRequired", true));
        } catch (PhonebookException | FileException | ToolException | Logins.Refused e) {
            error(resp, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the console is stopping");
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "console request " + route + " failed", e);
            error(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR,
                    "the console failed: " + e + " (see the node log)");
        }
    }

    /**
     * The Security Server's pages for a login: refused to a supporter (403) before anything else, and when
     * the node has no Security Server (404, saying how to install it).
     */
    static SecurityPages securityPages(SecurityPages pages, boolean administrator) throws Problem {
        if (!administrator) {
            throw new Problem(HttpServletResponse.SC_FORBIDDEN, "only console administrators manage the Security Server");
        }
        if (pages == null) {
            throw new Problem(HttpServletResponse.SC_NOT_FOUND, "this console node runs no Security Server: add"
                    + " security-server to features in etc/node.properties (or 'tandem admin feature install"
                    + " security-server')");
        }
        return pages;
    }

    private Map<String, Object> logout(Call c) {
        logins.logout((String) c.req().getAttribute(GuardFilter.TOKEN_ATTRIBUTE));
        Cookie gone = new Cookie(Logins.COOKIE, "");
        gone.setPath("/");
        gone.setMaxAge(0);
        gone.setHttpOnly(true);
        gone.setSecure(c.req().isSecure());
        c.resp().addCookie(gone);
        return Map.of("loggedIn", false);
    }

    private Map<String, Object> declineHelpRequest(Call c) throws Exception {
        HelpDesk desk = connections.helpDesk;
        if (desk == null) {
            throw new Problem(HttpServletResponse.SC_NOT_FOUND, "this Guest offers no help services");
        }
        desk.decline(c.text("id", true), c.text("reason", false));
        return Map.of("declined", c.text("id", true));
    }

    private Map<String, Object> state(HttpServletRequest req) {
        Logins.Login login = logins.find(GuardFilter.cookie(req));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("setup", !logins.hasAccounts() && !logins.central());
        m.put("central", logins.central());
        m.put("loggedIn", login != null);
        if (login != null) {
            m.put("csrf", login.csrf);
            m.put("user", login.account);
            m.put("administrator", logins.administrator(login));
            m.put("securityServer", logins.administrator(login) && securityPages != null);
        }
        m.put("minPassword", Logins.MIN_PASSWORD);
        if (!logins.hasAccounts() && !logins.central()) {
            m.put("defaultUser", Accounts.defaultName());
        }
        if (login != null && connections.localAddress != null) {
            m.put("local", connections.localAddress);
        }
        return m;
    }

    private Map<String, Object> loggedIn(Call call, String token) {
        HttpServletRequest req = call.req();
        HttpServletResponse resp = call.resp();
        Cookie c = new Cookie(Logins.COOKIE, token);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSecure(req.isSecure());
        c.setAttribute("SameSite", "Strict");
        c.setMaxAge((int) logins.cookieSeconds());
        resp.addCookie(c);
        Logins.Login login = logins.find(token);
        return Map.of("loggedIn", true, "csrf", login.csrf, "user", login.account);
    }

    /** The phonebook this login works in: the shared one, or its account's personal one. */
    private Phonebook book(Call c) throws Problem, PhonebookException {
        return book(c, c.login().personalBook);
    }

    private Phonebook book(Call c, boolean personal) throws Problem, PhonebookException {
        Phonebook p = phonebook;
        Phonebooks mine = phonebooks;
        if (p == null || personal && mine == null) {
            throw new Problem(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "the phonebook is not installed on this Guest");
        }
        return personal ? mine.personal(c.login().account) : p;
    }

    private static String bookName(boolean personal) {
        return personal ? "personal" : "shared";
    }

    private Map<String, Object> phonebook(Call c) throws Exception {
        Phonebook p = book(c);
        List<Object> entries = new ArrayList<>();
        for (Entry e : p.entries("", true)) {
            entries.add(entry(e));
        }
        return Map.of("folders", p.folders(), "entries", entries, "book", bookName(c.login().personalBook));
    }

    /** Which phonebook this login works in from now on: {@code shared} or {@code personal}. */
    private Map<String, Object> usePhonebook(Call c) throws Problem {
        String b = c.text("book", true);
        if (!b.equals("shared") && !b.equals("personal")) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "a phonebook is shared or personal, not " + b);
        }
        c.login().personalBook = b.equals("personal");
        return Map.of("book", b);
    }

    /** Moves a record from the phonebook this login works in to the other one, into the same folder. */
    private Map<String, Object> movePhonebookEntry(Call c) throws Exception {
        boolean personal = c.login().personalBook;
        Phonebook from = book(c, personal);
        Phonebook to = book(c, !personal);
        String folder = c.text("folder", false);
        String description = c.text("description", true);
        Entry e = from.entry(folder, description).orElseThrow(() -> new Problem(HttpServletResponse.SC_NOT_FOUND,
                "the " + bookName(personal) + " phonebook has no record " + description));
        if (to.entry(folder, description).isPresent()) {
            throw new Problem(HttpServletResponse.SC_CONFLICT, "the " + bookName(!personal) + " phonebook has a record "
                    + e.path() + " already; rename one of them first");
        }
        to.save(e);
        from.delete(folder, description);
        return Map.of("moved", e.path(), "to", bookName(!personal));
    }

    /** A record for the page: every field but the passwords, which never leave the node. */
    static Map<String, Object> entry(Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("folder", e.folder());
        m.put("description", e.description());
        m.put("name", e.name());
        m.put("profile", e.profile());
        m.put("comment", e.comment());
        m.put("phoneNumber", e.phoneNumber());
        m.put("hostLogon", e.hostLogon());
        m.put("hostDomain", e.hostDomain());
        m.put("hasPassword", !e.hostPassword().isEmpty());
        m.put("gatewayLogon", e.gatewayLogon());
        m.put("gatewayDomain", e.gatewayDomain());
        m.put("wakeOnLanMac", e.wakeOnLanMac());
        m.put("customAppDescription", e.customAppDescription());
        m.put("customAppCommand", e.customAppCommand());
        return m;
    }

    private Map<String, Object> savePhonebookEntry(Call c) throws Exception {
        Map<String, Object> b = c.body();
        Phonebook p = book(c);
        String folder = string(b, "folder", false);
        String description = string(b, "description", true);
        if (string(b, "name", false).isBlank()) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "a record needs the Host's address");
        }
        String wasFolder = b.containsKey("originalFolder") ? string(b, "originalFolder", false) : folder;
        String wasDescription = b.containsKey("originalDescription") ? string(b, "originalDescription", false)
                : description;
        Optional<Entry> old = wasDescription.isEmpty() ? Optional.empty() : p.entry(wasFolder, wasDescription);
        String password = b.get("hostPassword") instanceof String s ? s : old.map(Entry::hostPassword).orElse("");
        String gatewayPassword = old.map(Entry::gatewayPassword).orElse("");
        Entry e = new Entry(folder, description, string(b, "phoneNumber", false), string(b, "name", false),
                string(b, "comment", false), string(b, "profile", false), string(b, "hostLogon", false), password,
                string(b, "hostDomain", false), string(b, "gatewayLogon", false), gatewayPassword,
                string(b, "gatewayDomain", false), old.map(Entry::protectPassword).orElse(""),
                string(b, "wakeOnLanMac", false), old.map(Entry::credentialFlags).orElse(""),
                string(b, "customAppDescription", false), string(b, "customAppCommand", false));
        p.save(e);
        if (old.isPresent() && !(wasFolder.equals(folder) && wasDescription.equals(description))) {
            p.delete(wasFolder, wasDescription);
        }
        return Map.of("entry", entry(e));
    }

    private Map<String, Object> connect(Call c) throws Exception {
        Map<String, Object> b = c.body();
        boolean accept = Boolean.TRUE.equals(b.get("acceptChangedKey"));
        ConnectRequest request;
        String label;
        if (Boolean.TRUE.equals(b.get("local"))) {
            request = connections.localRequest(accept);
            label = "This computer";
        } else if (b.containsKey("support")) {
            String code = string(b, "support", true);
            request = Support.connectRequest(string(b, "profile", true), code);
            label = "Support session " + code;
        } else if (b.containsKey("description")) {
            String folder = string(b, "folder", false);
            String description = string(b, "description", true);
            Entry e = book(c).entry(folder, description).orElseThrow(() -> new Problem(
                    HttpServletResponse.SC_NOT_FOUND, "the phonebook has no record " + description));
            String password = b.get("password") instanceof String s && !s.isEmpty() ? s : e.hostPassword();
            if (password.isEmpty()) {
                throw new Problem(HttpServletResponse.SC_BAD_REQUEST,
                        "the record " + e.path() + " stores no password; give one");
            }
            request = new ConnectRequest(address(e.name(), e.profile()),
                    e.hostLogon().isEmpty() ? null : e.hostLogon(), password.toCharArray(), accept, "",
                    string(b, "otp", false));
            label = e.path();
        } else {
            String address = string(b, "address", true).trim();
            String profile = string(b, "profile", false);
            String guestId = string(b, "guestId", false);
            request = new ConnectRequest(address(address, profile), guestId.isBlank() ? null : guestId.trim(),
                    string(b, "password", true).toCharArray(), accept, "", string(b, "otp", false));
            label = "";
        }
        try {
            return Map.of("connection", connections.connect(request, label, c.login().account).describe());
        } catch (GuestException e) {
            if (e.reason() == GuestException.Reason.KEY_CHANGED && b.containsKey("support")) {
                // Pinned at the session's first connection: no other key is the temporary Host's, whatever the supporter says.
                throw new Problem(HttpServletResponse.SC_BAD_GATEWAY, "refused: " + request.address() + " offered another"
                        + " identity key than at this support session's first connection; someone may be intercepting it");
            }
            throw e;
        }
    }

    /** An invitation as pasted or read from its file; one that is not is the request's fault. */
    private static org.tandemrc.support.invitation.Invitation invitation(String text) throws Problem {
        try {
            return org.tandemrc.support.invitation.Invitation.fromText(text);
        } catch (IllegalArgumentException e) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "not an invitation: " + e.getMessage());
        }
    }

    /** What the page shows of an invitation before the password is typed. */
    private static Map<String, Object> shown(org.tandemrc.support.invitation.Invitation i) {
        return Map.of("host", i.host(), "expires", i.expires().toString(), "addresses", i.addresses(),
                "fingerprint", i.fingerprint(), "expired", !java.time.Instant.now().isBefore(i.expires()));
    }

    /**
     * The one table from a Guest failure's reason to the console's HTTP status. The console is the
     * browser's gateway to Hosts: whatever the Host did or failed to do is 502 (504 when it did not
     * answer), and the body's "reason" tells which. Never 401 (the page reads it as its console login
     * ended) nor 403 (the guard's CSRF and origin refusals): a Host refusing a logon is neither.
     */
    static int status(GuestException.Reason reason) {
        return switch (reason) {
            case INVALID_REQUEST, FAILED -> HttpServletResponse.SC_BAD_REQUEST;
            case NOT_FOUND -> HttpServletResponse.SC_NOT_FOUND;
            case NOT_INSTALLED -> HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            case UNREACHABLE, KEY_CHANGED, WRONG_PASSWORD, LOGON_REFUSED, LOCKED_OUT, SESSION_REFUSED, CLOSED,
                    PROTOCOL_ERROR, NOT_DONE -> HttpServletResponse.SC_BAD_GATEWAY;
            case NO_ANSWER -> HttpServletResponse.SC_GATEWAY_TIMEOUT;
            case LOCAL_FAILURE -> HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        };
    }

    /**
     * The answer to a failed Guest operation: the sentence, its reason, whether a changed key may be accepted,
     * and whether the Host asks for a one-time code.
     */
    static Map<String, Object> guestError(GuestException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.getMessage());
        m.put("reason", e.reason().name());
        m.put("keyChanged", e.reason() == GuestException.Reason.KEY_CHANGED);
        // The page asks for the code and connects again with it.
        m.put("codeRequired", e.reason() == GuestException.Reason.LOGON_REFUSED
                && e.getMessage().startsWith(ConnectRequest.CODE_REQUIRED));
        return m;
    }

    /** The help desk: whether this Guest offers help services, and the pending requests, oldest first. */
    private Map<String, Object> helpRequests() {
        HelpDesk desk = connections.helpDesk;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offered", desk != null);
        if (desk == null) {
            return m;
        }
        m.put("services", desk.services());
        m.put("listening", desk.listening());
        m.put("problems", desk.problems());
        List<Object> requests = new ArrayList<>();
        for (HelpRequest r : desk.pending()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", r.id());
            x.put("service", r.service());
            x.put("hostName", r.hostName());
            x.put("user", r.user());
            x.put("problem", r.problem());
            x.put("address", r.address());
            x.put("fingerprint", r.fingerprint());
            x.put("received", r.received().toString());
            requests.add(x);
        }
        m.put("requests", requests);
        return m;
    }

    private Map<String, Object> takeHelpRequest(Call c) throws Exception {
        String guestId = c.text("guestId", false);
        return Map.of("connection", connections.takeHelpRequest(c.text("id", true),
                guestId.isBlank() ? null : guestId.trim(), c.text("password", true).toCharArray(),
                c.login().account).describe());
    }

    /** An address with its device: "tcp:host:port" stays, "host" with profile "tcp" becomes "tcp:host". */
    static String address(String name, String profile) {
        String n = name.trim();
        if (n.matches("[a-z][a-z0-9-]*:.*") && !n.matches("[0-9a-fA-F:]+") || profile == null || profile.isBlank()
                || profile.equalsIgnoreCase("default")) {
            return n;
        }
        return profile.trim().toLowerCase(java.util.Locale.ROOT) + ":" + n;
    }

    /** Returns only once the Host showed the message; every other outcome is a GuestException's reason. */
    private String message(String connection, String text) throws Exception {
        Connections.Link link = connections.get(connection);
        RemoteMessages messages = connections.remoteMessages;
        if (messages == null) {
            throw new Problem(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "Send Message is not installed on this Guest");
        }
        messages.send(link.connection, text, MESSAGE_CONFIRMATION);
        return "Message delivered.";
    }

    /** One entry of a folder listing, as the page shows it; written by Jackson as an object. */
    record FileRow(String name, String kind, long size, long modified, boolean hidden) {
        /** Folders first, then by name regardless of case. */
        static final java.util.Comparator<FileRow> ORDER = java.util.Comparator
                .comparing((FileRow r) -> !r.kind().equals("FOLDER"))
                .thenComparing(r -> r.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** A folder listing: its path, its parent (null at the top) and its entries in {@link FileRow#ORDER}. */
    record Folder(String path, String parent, List<FileRow> entries) {
        Folder {
            entries = entries.stream().sorted(FileRow.ORDER).toList();
        }
    }

    private Folder localFolder(String path) throws Problem {
        Path dir = path == null || path.isBlank() ? Path.of(System.getProperty("user.home"))
                : Path.of(path);
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new Problem(HttpServletResponse.SC_NOT_FOUND, dir + " is not a folder on this Guest");
        }
        List<FileRow> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    String kind = a.isSymbolicLink() ? "LINK" : a.isDirectory() ? "FOLDER" : "FILE";
                    entries.add(new FileRow(p.getFileName().toString(), kind, a.isRegularFile() ? a.size() : 0,
                            a.lastModifiedTime().toMillis(), p.getFileName().toString().startsWith(".")));
                } catch (IOException e) {
                    // vanished or unreadable: leave it out
                }
            }
        } catch (IOException e) {
            throw new Problem(HttpServletResponse.SC_FORBIDDEN, "cannot list " + dir + ": " + e.getMessage());
        }
        return new Folder(dir.toString(), dir.getParent() == null ? null : dir.getParent().toString(), entries);
    }

    private Folder hostFolder(String connection, String path) throws Exception {
        Connections.Link link = connections.get(connection);
        String dir = path == null || path.isBlank() ? "/" : path;
        List<FileEntry> list;
        FileSession s = link.browser();
        try {
            synchronized (s) {
                list = s.list(Place.host(dir));
            }
        } catch (Exception e) {
            if (dir.equals("/")) {
                // A file session keeps the shares the Host had when it opened: when nothing is shared, the next
                // listing opens a new one, which sees a share the Host's owner has added since.
                link.closeBrowser();
            }
            throw e;
        }
        List<FileRow> entries = new ArrayList<>();
        for (FileEntry e : list) {
            entries.add(new FileRow(e.name(), e.kind().name(), e.size(), e.modified(), e.hidden()));
        }
        String parent = dir.equals("/") ? null : dir.substring(0, Math.max(1, dir.replaceAll("/+$", "").lastIndexOf('/')));
        return new Folder(dir, parent, entries);
    }

    private Map<String, Object> fileChange(Map<String, Object> b, boolean mkdir) throws Exception {
        Place place = place(b.get("place"));
        if (!place.remote()) {
            Path p = Path.of(place.path());
            try {
                if (mkdir) {
                    Files.createDirectories(p);
                } else {
                    try (var walk = Files.walk(p)) {
                        for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.delete(x);
                        }
                    }
                }
            } catch (IOException e) {
                throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "cannot " + (mkdir ? "create " : "delete ")
                        + p + ": " + e.getMessage());
            }
            return Map.of("ok", true);
        }
        FileSession s = connections.get(string(b, "connection", true)).browser();
        synchronized (s) {
            if (mkdir) {
                s.mkdir(place);
            } else {
                s.delete(place);
            }
        }
        return Map.of("ok", true);
    }

    @SuppressWarnings("unchecked")
    private static Place place(Object o) throws Problem {
        if (!(o instanceof Map)) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "a place needs a side and a path");
        }
        Map<String, Object> m = (Map<String, Object>) o;
        String side = string(m, "side", true);
        String path = string(m, "path", true);
        return switch (side) {
            case "host" -> Place.host(path);
            case "guest" -> Place.local(path);
            default -> throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "a side is guest or host, not " + side);
        };
    }

    /** Starts copy, move, sync or clone; progress and the result arrive as "transfer" events. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> transfer(Map<String, Object> b) throws Exception {
        Connections.Link link = connections.get(string(b, "connection", true));
        String op = string(b, "op", true);
        if (!List.of("copy", "move", "sync", "clone").contains(op)) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "a transfer is copy, move, sync or clone, not " + op);
        }
        List<Place> from = new ArrayList<>();
        if (b.get("from") instanceof List<?> list) {
            if (list.isEmpty() || list.size() > MAX_SOURCES) {
                throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "a transfer takes 1 to " + MAX_SOURCES
                        + " files or folders, not " + list.size());
            }
            for (Object o : list) {
                from.add(place(o));
            }
        } else {
            from.add(place(b.get("from")));
        }
        Place to = place(b.get("to"));
        TransferOptions options = options(b.get("options") instanceof Map ? (Map<String, Object>) b.get("options")
                : Map.of());
        return startTransfer(link, op, from, to, options, null, null);
    }

    /**
     * Uploads one file from the browser into a folder of the Host: the body streams to this node's disk (within
     * {@link BrowserFiles#MAX_UPLOAD}), then goes to the Host as a copy, whose progress and result arrive as
     * "transfer" events like any other's.
     */
    private Map<String, Object> upload(Call c) throws Exception {
        Connections.Link link = connections.get(c.query("connection"));
        String dir = c.query("path");
        if (dir == null || !dir.startsWith("/") || dir.replaceAll("/+", "/").equals("/")) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "open one of the Host's shared folders first: files"
                    + " go into a shared folder, not beside them");
        }
        files();
        String overwrite = c.query("overwrite");
        TransferOptions options = options(overwrite == null ? Map.of() : Map.of("overwrite", overwrite));
        Path file = browserFiles.receive(c.req().getInputStream(), c.req().getContentLengthLong(), c.query("name"),
                BrowserFiles.MAX_UPLOAD);
        return startTransfer(link, "upload", List.of(Place.local(file.toString())), Place.host(dir), options,
                file.getParent(), null);
    }

    /**
     * Copies one Host file to this node's disk for the browser's download; the "transfer" event that ends it
     * carries the link ({@code download}) that fetches it once.
     */
    private Map<String, Object> download(Call c) throws Exception {
        Connections.Link link = connections.get(c.text("connection", true));
        Place from = Place.host(c.text("path", true));
        files();
        FileSession s = link.browser();
        Optional<FileEntry> entry;
        synchronized (s) {
            entry = s.stat(from);
        }
        if (entry.isEmpty() || entry.get().kind() != FileEntry.Kind.FILE) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, from.path() + (entry.isEmpty() ? " is not on the Host"
                    : " is not a file: only files download to the browser (copy a folder to this Guest instead)"));
        }
        browserFiles.room(entry.get().size());
        Path temp = browserFiles.folder("download-");
        return startTransfer(link, "download", List.of(from), Place.local(temp.toString()), TransferOptions.defaults(),
                temp, (String) c.req().getAttribute(GuardFilter.TOKEN_ATTRIBUTE));
    }

    /** Sends a download its ticket stands for, once, to the login it was handed to. */
    private Object fetch(Call c) throws Exception {
        BrowserFiles.Ticket t = browserFiles.take(c.query("ticket"),
                (String) c.req().getAttribute(GuardFilter.TOKEN_ATTRIBUTE));
        if (t == null) {
            throw new Problem(HttpServletResponse.SC_NOT_FOUND, "this download was fetched already or has expired:"
                    + " download the file again");
        }
        try {
            BrowserFiles.send(t, c.resp());
        } catch (IOException e) {
            if (!c.resp().isCommitted()) {
                throw e;
            }
            // The browser stopped the download midway: nothing more can be said on this response.
            LOG.log(System.Logger.Level.DEBUG, "download of " + t.name() + " broke off: " + e);
        }
        return WRITTEN;
    }

    private void files() throws Problem {
        if (connections.remoteFiles == null) {
            throw new Problem(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "file transfer is not installed on this Guest");
        }
    }

    /** A transfer under way: its thread while it runs, for Cancel. */
    static final class Running {
        private Thread thread;
        private boolean cancelled;

        synchronized boolean cancel() {
            cancelled = true;
            if (thread != null) {
                thread.interrupt();
            }
            return true;
        }

        synchronized boolean start() {
            thread = Thread.currentThread();
            return !cancelled;
        }

        /** Ends the run; an interrupt meant for it does not reach the thread's next work. */
        synchronized void end() {
            thread = null;
            Thread.interrupted();
        }

        synchronized boolean cancelled() {
            return cancelled;
        }
    }

    /** Stops a transfer under way: what was done stays done, the rest is left. */
    private boolean cancel(String id) throws Problem {
        Running r = running.get(id);
        if (r == null) {
            throw new Problem(HttpServletResponse.SC_NOT_FOUND, "no transfer " + id + " is under way");
        }
        return r.cancel();
    }

    /**
     * Starts copy, move, sync or clone of the sources in turn, as one transfer with one progress; {@code temp}
     * (an upload's or download's folder on this node) is deleted at the end unless the download is handed to
     * the browser, which {@code login} fetches by a ticket.
     */
    private Map<String, Object> startTransfer(Connections.Link link, String op, List<Place> from, Place to,
            TransferOptions options, Path temp, String login) throws Exception {
        try {
            files();
        } catch (Problem p) {
            BrowserFiles.deleteTree(temp);
            throw p;
        }
        String id = "t" + transfers.incrementAndGet();
        FileSession session = connections.remoteFiles.open(link.connection);
        link.opened("File Transfer");
        Running r = new Running();
        running.put(id, r);
        connections.work.execute(() -> {
            try {
                if (r.start()) {
                    runTransfer(link, session, id, op, from, to, options, r, temp, login);
                } else {
                    session.close();
                    link.ended("File Transfer");
                    BrowserFiles.deleteTree(temp);
                }
            } finally {
                r.end();
                running.remove(id);
            }
        });
        return Map.of("transfer", id);
    }

    private void runTransfer(Connections.Link link, FileSession session, String id, String op, List<Place> from,
            Place to, TransferOptions options, Running running, Path temp, String login) {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("type", "transfer");
        base.put("id", id);
        base.put("connection", link.id);
        base.put("op", op);
        base.put("from", from.size() == 1 ? from.get(0).toString() : from.size() + " items");
        base.put("sources", from.size());
        base.put("to", to.toString());
        List<String> log = new ArrayList<>();
        TransferListener listener = new TransferListener() {
            long planned;
            int plannedFiles;
            int filesDone;
            long bytesBefore;
            long currentDone;
            String current;
            long last;

            @Override
            public void planned(int files, long bytes) {
                plannedFiles += files;
                planned += bytes;
                progress(null, 0, 0, true);
            }

            @Override
            public void progress(String file, long done, long size) {
                if (file != null && !file.equals(current)) {
                    bytesBefore += currentDone;
                    current = file;
                }
                currentDone = done;
                progress(file, done, size, done == size);
            }

            @Override
            public void finished(String file, String action, String detail) {
                if (action.equals("copied") || action.equals("updated")) {
                    filesDone++;
                }
                synchronized (log) {
                    if (log.size() < 1000) {
                        log.add(action + "  " + file + (detail == null || detail.isEmpty() ? "" : "  (" + detail + ")"));
                    }
                }
            }

            private void progress(String file, long done, long size, boolean force) {
                long now = System.nanoTime();
                if (!force && now - last < 100_000_000L) {
                    return;
                }
                last = now;
                Map<String, Object> e = new LinkedHashMap<>(base);
                e.put("state", "running");
                e.put("file", file);
                e.put("done", done);
                e.put("size", size);
                e.put("plannedFiles", plannedFiles);
                e.put("plannedBytes", planned);
                e.put("filesDone", filesDone);
                e.put("bytesDone", bytesBefore + currentDone);
                connections.publish(e);
            }
        };
        Map<String, Object> end = new LinkedHashMap<>(base);
        finish(link, session, id, end, () -> {
            int files = 0;
            int skipped = 0;
            int deleted = 0;
            List<String> failed = new ArrayList<>();
            long bytes = 0;
            long wire = 0;
            boolean stopped = false;
            for (Place source : from) {
                if (running.cancelled()) {
                    stopped = true;
                    break;
                }
                TransferResult r = switch (op) {
                    case "move" -> session.move(source, to, options, listener);
                    case "sync" -> session.synchronize(source, to, options, listener);
                    case "clone" -> session.clone(source, to, options, listener);
                    default -> session.copy(source, to, options, listener);
                };
                files += r.files();
                skipped += r.skipped();
                deleted += r.deleted();
                failed.addAll(r.failed());
                bytes += r.bytes();
                wire += r.wireBytes();
                stopped |= r.stopped();
                if (r.stopped()) {
                    break;
                }
            }
            end.put("state", failed.isEmpty() && !stopped ? "done" : "failed");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("files", files);
            result.put("skipped", skipped);
            result.put("deleted", deleted);
            result.put("failed", failed);
            result.put("bytes", bytes);
            result.put("wireBytes", wire);
            result.put("stopped", stopped);
            end.put("result", result);
        });
        if (running.cancelled() && !"done".equals(end.get("state"))) {
            end.put("state", "cancelled");
            end.put("error", "cancelled: what was done stays done");
        }
        boolean handedOut = false;
        if (login != null && "done".equals(end.get("state"))) {
            try (var files = Files.list(temp)) {
                Path file = files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).findFirst().orElse(null);
                if (file != null) {
                    end.put("download", FETCH + "?ticket=" + browserFiles.issue(file, file.getFileName().toString(), login));
                    end.put("name", BrowserFiles.downloadName(file.getFileName().toString()));
                    handedOut = true;
                }
            } catch (IOException e) {
                end.put("state", "failed");
                end.put("error", "cannot read the downloaded file: " + e.getMessage());
            }
        }
        if (!handedOut) {
            BrowserFiles.deleteTree(temp);
        }
        synchronized (log) {
            end.put("log", new ArrayList<>(log));
        }
        connections.publish(end);
    }

    /**
     * Offers one of this Guest's files to the person at the Host, who saves it where they choose (also on a
     * Host that shares no folder); their answer and the result arrive as an "offer" event.
     */
    private Map<String, Object> offer(Map<String, Object> b) throws Exception {
        Connections.Link link = connections.get(string(b, "connection", true));
        Path file = Path.of(string(b, "path", true)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, file + " is not a file on this Guest (a folder or a"
                    + " link cannot be offered; copy it into a shared folder instead)");
        }
        if (connections.remoteFiles == null) {
            throw new Problem(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "file transfer is not installed on this Guest");
        }
        String id = "o" + transfers.incrementAndGet();
        FileSession session = connections.remoteFiles.open(link.connection);
        link.opened("File Transfer");
        connections.work.execute(() -> {
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("type", "offer");
            end.put("id", id);
            end.put("connection", link.id);
            end.put("file", file.getFileName().toString());
            finish(link, session, id, end, () -> {
                end.put("bytes", session.offer(file));
                end.put("state", "done");
            });
            connections.publish(end);
        });
        return Map.of("offer", id);
    }

    /** Work in a file session that ends in an event: {@code end} gets its result. */
    private interface FileWork {
        void run() throws FileException, GuestException, InterruptedException;
    }

    /**
     * Runs {@code work} and puts how it failed into {@code end} ({@code state} refused or failed, {@code error});
     * the session is closed and the connection's list of sessions told either way.
     */
    private static void finish(Connections.Link link, FileSession session, String id, Map<String, Object> end,
            FileWork work) {
        try {
            work.run();
        } catch (GuestException e) {
            end.put("state", "refused");
            end.put("error", e.getMessage());
        } catch (FileException e) {
            end.put("state", "failed");
            end.put("error", e.getMessage());
        } catch (InterruptedException e) {
            end.put("state", "failed");
            end.put("error", "the console stopped");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, id + " failed", e);
            end.put("state", "failed");
            end.put("error", e.toString());
        } finally {
            session.close();
            link.ended("File Transfer");
        }
    }

    static TransferOptions options(Map<String, Object> o) throws Problem {
        TransferOptions d = TransferOptions.defaults();
        try {
            TransferOptions.Overwrite overwrite = o.get("overwrite") instanceof String s
                    ? TransferOptions.Overwrite.valueOf(s.toUpperCase(java.util.Locale.ROOT)) : d.overwrite();
            TransferOptions.OnError onError = o.get("onError") instanceof String s
                    ? TransferOptions.OnError.valueOf(s.toUpperCase(java.util.Locale.ROOT)) : d.onError();
            int retries = o.get("retries") instanceof Number n ? n.intValue() : d.retries();
            return new TransferOptions(bool(o, "subfolders", d.subfolders()), overwrite, bool(o, "readOnly", d.readOnly()),
                    bool(o, "hidden", d.hidden()), bool(o, "onlyExisting", d.onlyExisting()),
                    bool(o, "oneWay", d.oneWay()), onError, retries, bool(o, "delta", d.delta()),
                    EnumSet.noneOf(TransferOptions.Confirm.class));
        } catch (IllegalArgumentException e) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "bad transfer options: " + e.getMessage());
        }
    }

    private static boolean bool(Map<String, Object> o, String name, boolean otherwise) {
        return o.get(name) instanceof Boolean v ? v : otherwise;
    }

    private static Map<String, Object> body(HttpServletRequest req) throws IOException, Problem {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Problem(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "the console takes JSON requests");
        }
        StringBuilder b = new StringBuilder();
        char[] buf = new char[8192];
        try (Reader r = new java.io.InputStreamReader(req.getInputStream(), StandardCharsets.UTF_8)) {
            int n;
            while ((n = r.read(buf)) > 0) {
                b.append(buf, 0, n);
                if (b.length() > Json.MAX_CHARS) {
                    throw new Problem(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                            "the request is larger than " + Json.MAX_CHARS + " characters");
                }
            }
        }
        try {
            return b.length() == 0 ? Map.of() : Json.object(b.toString());
        } catch (Json.Malformed e) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
        }
    }

    static String string(Map<String, Object> b, String name, boolean required) throws Problem {
        Object v = b.get(name);
        if (v == null) {
            if (required) {
                throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "the request lacks " + name);
            }
            return "";
        }
        if (!(v instanceof String s)) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, name + " must be text");
        }
        if (required && s.isEmpty()) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, name + " is empty");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object o) throws Problem {
        Map<String, String> m = new LinkedHashMap<>();
        if (o == null) {
            return m;
        }
        if (!(o instanceof Map)) {
            throw new Problem(HttpServletResponse.SC_BAD_REQUEST, "arguments must be an object");
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) o).entrySet()) {
            m.put(e.getKey(), e.getValue() == null ? "" : String.valueOf(e.getValue()));
        }
        return m;
    }

    private static char[] passphrase(Map<String, Object> b) throws Problem {
        String p = string(b, "passphrase", false);
        return p.isEmpty() ? null : p.toCharArray();
    }

    static void send(HttpServletResponse resp, int status, Object answer) throws IOException {
        byte[] bytes = Json.write(answer).getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse resp, int status, String message) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        send(resp, status, Map.of("error", message));
    }

}
