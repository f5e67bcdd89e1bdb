package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.protocol.logon.LogonLimiter;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;
import org.tandemrc.support.event.EventRecorder;

/**
 * Who may use the console: supporter accounts ({@link Accounts}), each with a user name and password,
 * an administrator role that manages them. There is no default account: until one exists, a one-time
 * setup token (printed by the node at start, valid until used or the node restarts) lets the person at
 * the node create the first administrator. Others get their own one-time link from an administrator
 * (valid {@link #LINK_VALIDITY}); nobody chooses a password for someone else. A login is a random cookie
 * token with its own CSRF token; it ends after {@code session.idle.minutes} without a request, after
 * {@code session.max.hours} in any case, and at once when its account is disabled, deleted or reset.
 * Password attempts follow the logon limits every role uses ({@link LogonLimiter}, default settings):
 * counted per address when they arrive, before the slow hash, so concurrent requests cannot slip past;
 * across all addresses the console's budget slows untrusted ones (a retry time of seconds), never locks
 * anyone out, and at most two hashes run at once while others wait in line. An unknown user name costs
 * the same hash as a wrong password and gets the same answer. Every login and every failure is an audit
 * event with the address and the user name tried ({@code TCONLOGIN+}, {@code SECPW!}, {@code HSECPWLIM!});
 * account changes are {@code TCONACCT*}.
 */
@Component(service = Logins.class, configurationPid = Logins.PID)
@Designate(ocd = Logins.Config.class)
public class Logins {

    static final String PID = "org.tandemrc.webconsole";
    static final String COOKIE = "tandem-console";
    static final String TLS_NAMES = "tandem.console.tls.names";
    static final int MIN_PASSWORD = 10;
    /** How long a supporter's one-time setup link stays valid. */
    static final Duration LINK_VALIDITY = Duration.ofDays(7);
    /** The one answer to a wrong user name and to a wrong password, so neither tells which. */
    static final String WRONG = "wrong password or user name";
    private static final System.Logger LOG = System.getLogger("org.tandemrc.webconsole");
    private static final SettingsCheck CHECK = new SettingsCheck(PID);
    /** What the logon limits call the console: one budget for all its logins. */
    private static final String TARGET = "console";
    /** Password hashes computed at once; more wait in line rather than being refused. */
    private static final int CHECKS_AT_ONCE = 2;

    @ObjectClassDefinition(name = "Tandem browser console")
    @interface Config {
        @AttributeDefinition(description = "Minutes without a request after which a login ends (1..10080)")
        int session_idle_minutes() default 30;

        @AttributeDefinition(description = "Hours after which a login ends in any case (1..8760)")
        int session_max_hours() default 12;

        @AttributeDefinition(description = "Host names the console answers to besides 127.0.0.1, ::1 and "
                + "localhost (the Host header is checked against DNS rebinding)")
        String[] allowed_hosts() default {};

        @AttributeDefinition(description = "Who decides logins: accounts (the console's own accounts) or "
                + "security-server (the Security Server, through this node's security-client: directory accounts, "
                + "Guest IDs, one-time codes; its rules for the host pattern console give administrator or supporter)")
        String logon() default "accounts";
    }

    /** The checked settings: how long a login lasts, and the host names the console answers to. */
    record Settings(Duration idle, Duration max, String[] allowedHosts, boolean central) {

        /**
         * @throws IllegalArgumentException in {@link SettingsCheck}'s style, for the first bad value
         */
        static Settings of(Map<String, ?> config) {
            Config c = TypedConfig.of(Config.class, PID, config);
            if (!c.logon().equals("accounts") && !c.logon().equals("security-server")) {
                throw CHECK.invalid("logon", c.logon(), "is not accounts or security-server");
            }
            return new Settings(Duration.ofMinutes(CHECK.range("session.idle.minutes", c.session_idle_minutes(), 1,
                    7 * 24 * 60)), Duration.ofHours(CHECK.range("session.max.hours", c.session_max_hours(), 1,
                    365 * 24)), c.allowed_hosts(), c.logon().equals("security-server"));
        }
    }

    /** One logged-in browser, of one account. */
    static final class Login {
        final String csrf;
        final String account;
        final Instant started;
        volatile Instant seen;
        /** Whether this browser works in the account's personal phonebook rather than the shared one. */
        volatile boolean personalBook;

        Login(String csrf, String account, Instant started) {
            this.csrf = csrf;
            this.account = account;
            this.started = started;
            this.seen = started;
        }
    }

    /** A login attempt or account change that did not succeed, with the sentence to show. */
    static class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final SecureRandom random = new SecureRandom();
    /** Logins by the SHA-256 of their cookie token, so lookups do not leak the token by timing. */
    private final Map<String, Login> logins = new ConcurrentHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Accounts accounts;
    /** What an unknown user name's password is checked against, so that it costs a real account's time. */
    private String decoy;
    private volatile Settings settings = Settings.of(Map.of());
    /** Guarded by this. */
    private String setupToken;
    private LogonLimiter limiter;
    /**
     * Under HTTPS, the names the console's certificate is for (a framework property the launcher sets):
     * a rebinding page from another name fails the browser's certificate check before it could get here.
     */
    private List<String> certificateNames = List.of();
    private final Semaphore checks = new Semaphore(CHECKS_AT_ONCE, true);
    final EventRecorder audit = new EventRecorder("org.tandemrc.guest.audit");

    public Logins() {
    }

    /** For tests: a store in {@code dir} with the given clock. */
    Logins(Path dir, Clock clock, Duration idle, Duration max) throws IOException {
        this.clock = clock;
        this.settings = new Settings(idle, max, new String[0], false);
        init(dir);
    }

    /** The Security Server client's method for console logins, when this node has one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + Authenticator.METHOD_PROPERTY + "=" + CentralLogon.METHOD + ")")
    volatile Authenticator centralMethod;
    private final CentralLogon central = new CentralLogon(random);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSink(EventSink sink) {
        audit.add(sink);
    }

    void unbindSink(EventSink sink) {
        audit.remove(sink);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> config) throws IOException {
        certificateNames(context.getProperty(TLS_NAMES));
        String home = context.getProperty("tandem.home");
        init(Path.of(home == null ? "." : home).resolve("data/console"));
        modified(config);
    }

    /** The names of the HTTPS certificate, comma-separated as the launcher sets them; null without HTTPS. */
    void certificateNames(String names) {
        certificateNames = names == null ? List.of() : List.of(names.toLowerCase(java.util.Locale.ROOT).split(","));
    }

    /** A bad value is logged and changes nothing: the console keeps answering with what it had. */
    @Modified
    void modified(Map<String, Object> config) {
        try {
            settings = Settings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage() + " (the previous settings stay)");
        }
    }

    private void init(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.accounts = new Accounts(dir);
        this.decoy = accounts.encode(token());
        this.limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        synchronized (this) {
            setupToken = accounts.isEmpty() ? token() : null;
        }
    }

    /** The one-time token that makes the first administrator while there is no account, else null. */
    synchronized String setupToken() {
        // With the Security Server deciding logins, there is no first administrator to make here.
        return central() ? null : setupToken;
    }

    /** Whether any account exists (else the console waits for its first administrator). */
    boolean hasAccounts() {
        return !accounts.isEmpty();
    }

    /** Whether the Security Server decides logins ({@code logon = security-server}). */
    boolean central() {
        return settings.central();
    }

    /**
     * Whom a one-time setup link is for: {@code ""} for the first administrator (who chooses a name),
     * else the account's name.
     */
    String setupFor(String token) throws Refused {
        synchronized (this) {
            if (token != null && setupToken != null && equal(token, setupToken)) {
                return "";
            }
        }
        return pending(token).name();
    }

    /** The account waiting for the person with this token to choose a password. */
    private Accounts.Account pending(String token) throws Refused {
        String d = token == null ? "" : Accounts.digest(token);
        Accounts.Account a = accounts.list().stream().filter(x -> !x.setup().isEmpty() && equal(x.setup(), d))
                .findFirst().orElseThrow(() -> new Refused(accounts.isEmpty()
                        ? "this setup link is not valid; use the one the node printed at its last start"
                        : "this setup link is not valid (used already, or replaced by a newer one); ask an"
                                + " administrator of the console for a new one"));
        if (!clock.instant().isBefore(a.setupUntil())) {
            throw new Refused("this setup link has expired; ask an administrator of the console for a new one");
        }
        return a;
    }

    /**
     * Sets a password with a one-time setup token and logs in; returns the cookie token. The node's first
     * token makes an administrator named {@code name} (empty: {@link Accounts#defaultName()}); an
     * account's token sets that account's password.
     */
    String setup(String token, String name, String password, String remote) throws Refused, IOException {
        String account;
        synchronized (this) {
            if (token != null && setupToken != null && equal(token, setupToken)) {
                account = name == null || name.isBlank() ? Accounts.defaultName() : Accounts.checkName(name);
                checkStrength(password);
                accounts.add(new Accounts.Account(account, Accounts.Role.ADMINISTRATOR, false,
                        accounts.encode(password), "", Instant.EPOCH));
                setupToken = null;
            } else {
                Accounts.Account a = pending(token);
                checkStrength(password);
                String stored = accounts.encode(password);
                accounts.change(a.name(), x -> x.with(x.role(), x.disabled(), stored, "", Instant.EPOCH));
                account = a.name();
            }
        }
        audit.record(EventCodes.TANDEM_CONSOLE_ACCOUNT_CHANGED, Severity.INFO, remote, account,
                "password chosen through the one-time link");
        return start(account);
    }

    static void checkStrength(String password) throws Refused {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            throw new Refused("choose a password of at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > 256) {
            throw new Refused("a password of at most 256 characters, please");
        }
    }

    /**
     * Checks the user name and password and logs in; returns the cookie token. A user name that is
     * unknown, not set up yet or malformed costs the same hash as a wrong password and gets the same
     * answer, {@value #WRONG}.
     *
     * @param remote the address the request came from
     */
    String login(String name, String password, String remote) throws Refused, IOException {
        return login(name, password, "", remote);
    }

    /**
     * As {@link #login(String, String, String)}, with the one-time code the Security Server may ask for
     * ({@code logon = security-server}).
     */
    String login(String name, String password, String code, String remote) throws Refused, IOException {
        if (!central() && !hasAccounts()) {
            throw new Refused("the console has no account yet; open the setup link the node printed");
        }
        // Bounded and kept to what a name may hold: it goes to the log.
        String tried = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        tried = tried.length() > 64 ? tried.substring(0, 64) + "…" : tried;
        LogonLimiter.Decision d = limiter.attempt(remote, TARGET);
        if (!d.allowed()) {
            if (d.firstRefusal()) {
                audit.record(EventCodes.HOST_PASSWORD_LIMIT, Severity.SECURITY, remote, tried,
                        "console login refused: " + d.reason());
            }
            throw new Refused(d.reason());
        }
        if (central()) {
            return centralLogin(tried, password, code, remote);
        }
        java.util.Optional<Accounts.Account> account = accounts.get(tried).filter(a -> !a.pending());
        boolean ok = matches(account.map(Accounts.Account::password).orElse(decoy), password) && account.isPresent();
        if (!ok) {
            audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote, tried,
                    "console login: wrong password or user name");
            throw new Refused(WRONG);
        }
        if (account.get().disabled()) {
            audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote, tried,
                    "console login: the account is disabled");
            throw new Refused("this account is disabled; ask an administrator of the console");
        }
        limiter.succeeded(remote, TARGET);
        audit.record(EventCodes.TANDEM_CONSOLE_LOGGED_IN, Severity.INFO, remote, account.get().name(), "");
        return start(account.get().name());
    }

    private String centralLogin(String tried, String password, String code, String remote) throws Refused, IOException {
        Authenticator method = centralMethod;
        if (method == null) {
            LOG.log(System.Logger.Level.ERROR, "logon = security-server, but this node has no Security Server client:"
                    + " install the security-client feature and configure etc/org.tandemrc.security.client.cfg");
            throw new Refused("the console cannot check logins at the moment; see the node's log");
        }
        Optional<CentralLogon.Verdict> verdict;
        try {
            checks.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("the console is stopping");
        }
        try {
            verdict = central.check(method, tried, password == null ? "" : password, code, remote);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "a console login from " + remote + " could not be checked: "
                    + e.getMessage());
            throw new Refused("the console cannot check logins at the moment; try again later");
        } finally {
            checks.release();
        }
        if (verdict.isEmpty()) {
            audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote, tried,
                    "console login: the Security Server denied it");
            throw new Refused(WRONG);
        }
        CentralLogon.Verdict v = verdict.get();
        if (v.role().isEmpty()) {
            audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote, tried, "console login: the Security"
                    + " Server's rules give role " + v.roleName() + ", which is neither administrator nor supporter");
            throw new Refused(WRONG);
        }
        String name = Accounts.checkName(v.name());
        Accounts.Account account = accounts.central(name, v.role().get());
        if (account.disabled()) {
            audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote, name,
                    "console login: the account is disabled here");
            throw new Refused("this account is disabled; ask an administrator of the console");
        }
        limiter.succeeded(remote, TARGET);
        audit.record(EventCodes.TANDEM_CONSOLE_LOGGED_IN, Severity.INFO, remote, name,
                "through the Security Server, role " + v.role().get().text());
        return start(name);
    }

    /** Checks a password against its stored hash, at most {@value #CHECKS_AT_ONCE} at once; others wait in line. */
    private boolean matches(String stored, String password) throws Refused {
        try {
            checks.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("the console is stopping");
        }
        try {
            return Accounts.matches(stored, password);
        } finally {
            checks.release();
        }
    }

    private String start(String account) {
        String token = token();
        logins.put(Accounts.digest(token), new Login(token(), account, clock.instant()));
        return token;
    }

    /**
     * The live login of a cookie token, refreshed, or null when there is none, it expired, or its account
     * is no longer enabled with a password.
     */
    Login find(String token) {
        if (token == null || token.length() > 100) {
            return null;
        }
        Instant now = clock.instant();
        expire(now);
        Login l = logins.get(Accounts.digest(token));
        if (l == null) {
            return null;
        }
        if (!accounts.get(l.account).filter(a -> !a.disabled() && !a.pending()).isPresent()) {
            logins.remove(Accounts.digest(token));
            return null;
        }
        l.seen = now;
        return l;
    }

    void logout(String token) {
        if (token != null) {
            logins.remove(Accounts.digest(token));
        }
    }

    private void expire(Instant now) {
        Settings s = settings;
        for (Iterator<Login> it = logins.values().iterator(); it.hasNext();) {
            Login l = it.next();
            if (now.isAfter(l.seen.plus(s.idle())) || now.isAfter(l.started.plus(s.max()))) {
                it.remove();
            }
        }
    }

    // ---------------------------------------------------------------- accounts

    /** Whether a login's account is an administrator. */
    boolean administrator(Login login) {
        return login != null && accounts.get(login.account).filter(a -> a.role() == Accounts.Role.ADMINISTRATOR)
                .isPresent();
    }

    /**
     * A supporter changes their own password, knowing the current one (guesses count against the logon
     * limits like logins); their other logins end.
     */
    void changePassword(Login login, String current, String next, String remote) throws Refused, IOException {
        checkStrength(next);
        Accounts.Account a = accounts.get(login.account).orElseThrow(() -> new Refused("this account is gone"));
        LogonLimiter.Decision d = limiter.attempt(remote, TARGET);
        if (!d.allowed()) {
            throw new Refused(d.reason());
        }
        if (!matches(a.password(), current)) {
            audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote, a.name(),
                    "console password change: the current password is wrong");
            throw new Refused("the current password is wrong");
        }
        limiter.succeeded(remote, TARGET);
        String stored = accounts.encode(next);
        accounts.change(a.name(), x -> x.with(x.role(), x.disabled(), stored, "", Instant.EPOCH));
        logins.values().removeIf(l -> l.account.equals(a.name()) && l != login);
        audit.record(EventCodes.TANDEM_CONSOLE_ACCOUNT_CHANGED, Severity.INFO, remote, a.name(), "password changed");
    }

    /** The accounts as the Accounts page shows them, with how many browsers each has logged in. */
    List<Map<String, Object>> accounts() {
        expire(clock.instant());
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Accounts.Account a : accounts.list()) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("name", a.name());
            m.put("role", a.role().text());
            m.put("state", a.disabled() ? "disabled" : a.pending()
                    ? (clock.instant().isBefore(a.setupUntil()) ? "waiting for setup" : "setup link expired") : "active");
            m.put("linkExpires", a.pending() ? a.setupUntil().toString() : null);
            m.put("logins", logins.values().stream().filter(l -> l.account.equals(a.name())).count());
            out.add(m);
        }
        return out;
    }

    /** An administrator adds an account; returns its one-time setup token, for the person to choose their password. */
    String add(Login by, String name, String role, String remote) throws Refused, IOException {
        String n = Accounts.checkName(name);
        String token = token();
        accounts.add(new Accounts.Account(n, Accounts.Role.of(role), false, "", Accounts.digest(token),
                clock.instant().plus(LINK_VALIDITY)));
        audit.record(EventCodes.TANDEM_CONSOLE_ACCOUNT_CHANGED, Severity.INFO, remote, by.account,
                "added " + n + " as " + role);
        return token;
    }

    /** What an administrator can do to an account. */
    enum Change {
        DISABLE, ENABLE, DELETE, RESET, ROLE
    }

    /**
     * An administrator changes an account; a reset ends its password and returns the new one-time setup
     * token (else null). Refused when no enabled administrator would remain.
     */
    String change(Login by, Change change, String name, String role, String remote) throws Refused, IOException {
        String token = change == Change.RESET ? token() : null;
        Accounts.Role r = change == Change.ROLE ? Accounts.Role.of(role) : null;
        Instant until = clock.instant().plus(LINK_VALIDITY);
        Accounts.Account now = accounts.change(name, a -> switch (change) {
            case DISABLE -> a.with(a.role(), true, a.password(), a.setup(), a.setupUntil());
            case ENABLE -> a.with(a.role(), false, a.password(), a.setup(), a.setupUntil());
            case DELETE -> null;
            case RESET -> a.with(a.role(), a.disabled(), "", Accounts.digest(token), until);
            case ROLE -> a.with(r, a.disabled(), a.password(), a.setup(), a.setupUntil());
        });
        String what = change.name().toLowerCase(java.util.Locale.ROOT);
        audit.record(EventCodes.TANDEM_CONSOLE_ACCOUNT_CHANGED, Severity.INFO, remote, by.account,
                what + " " + name + (r == null ? "" : " as " + r.text()));
        if (now == null || now.disabled() || now.pending()) {
            logins.values().removeIf(l -> l.account.equals(name));
        }
        return token;
    }

    /** Lifetime of the cookie, in seconds. */
    long cookieSeconds() {
        return settings.max().toSeconds();
    }

    /**
     * Whether a Host header names this console: loopback names, one the configuration allows, or one of
     * its HTTPS certificate. A page from another name that resolves here (DNS rebinding) is refused.
     */
    boolean allowedHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty()) {
            return false;
        }
        String host = hostHeader;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                return false;
            }
            host = host.substring(0, end + 1);
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        host = host.toLowerCase(java.util.Locale.ROOT);
        if (host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("localhost")) {
            return true;
        }
        return Arrays.asList(settings.allowedHosts()).contains(host) || certificateNames.contains(host);
    }

    private String token() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
