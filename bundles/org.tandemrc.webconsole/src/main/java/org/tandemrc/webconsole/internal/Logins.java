package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.protocol.logon.LogonLimiter;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;

/**
 * Who may use the console. There is no default password: until one is set, a one-time setup token
 * (printed by the node at start, valid until used or the node restarts) lets the person at the node
 * choose it. The password is kept as a PBKDF2 hash in {@code data/console/login} (owner-only);
 * delete that file and restart the node to set a new one. A login is a random cookie token with its
 * own CSRF token; it ends after {@code session.idle.minutes} without a request and after
 * {@code session.max.hours} in any case. Password attempts follow the logon limits every role uses
 * ({@link LogonLimiter}, default settings): counted per address when they arrive, before the slow hash,
 * so concurrent requests cannot slip past; across all addresses the console's budget slows untrusted
 * ones (a retry time of seconds), never locks anyone out, and at most two hashes run at once while
 * others wait in line. Every failure is logged with the address.
 */
@Component(service = Logins.class, configurationPid = Logins.PID)
@Designate(ocd = Logins.Config.class)
public class Logins {

    static final String PID = "org.tandemrc.webconsole";
    static final String COOKIE = "tandem-console";
    static final String TLS_NAMES = "tandem.console.tls.names";
    static final int MIN_PASSWORD = 10;
    private static final int ITERATIONS = 310_000;
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
    }

    /** The checked settings: how long a login lasts, and the host names the console answers to. */
    record Settings(Duration idle, Duration max, String[] allowedHosts) {

        /**
         * @throws IllegalArgumentException in {@link SettingsCheck}'s style, for the first bad value
         */
        static Settings of(Map<String, ?> config) {
            Config c = TypedConfig.of(Config.class, PID, config);
            return new Settings(Duration.ofMinutes(CHECK.range("session.idle.minutes", c.session_idle_minutes(), 1,
                    7 * 24 * 60)), Duration.ofHours(CHECK.range("session.max.hours", c.session_max_hours(), 1,
                    365 * 24)), c.allowed_hosts());
        }
    }

    /** One logged-in browser. */
    static final class Login {
        final String csrf;
        final Instant started;
        volatile Instant seen;

        Login(String csrf, Instant started) {
            this.csrf = csrf;
            this.started = started;
            this.seen = started;
        }
    }

    /** A login attempt that did not succeed, with the sentence to show. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final SecureRandom random = new SecureRandom();
    /** Logins by the SHA-256 of their cookie token, so lookups do not leak the token by timing. */
    private final Map<String, Login> logins = new ConcurrentHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Path file;
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

    public Logins() {
    }

    /** For tests: a store in {@code dir} with the given clock. */
    Logins(Path dir, Clock clock, Duration idle, Duration max) throws IOException {
        this.clock = clock;
        this.settings = new Settings(idle, max, new String[0]);
        init(dir);
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
        this.file = dir.resolve("login");
        this.limiter = new LogonLimiter(LogonLimits.defaults(), clock);
        synchronized (this) {
            setupToken = Files.exists(file) ? null : token();
        }
    }

    /** The one-time setup token while no password is set, else null. */
    synchronized String setupToken() {
        return setupToken;
    }

    /** Whether a console password is set. */
    boolean hasPassword() {
        return Files.exists(file);
    }

    /** Sets the first password with the setup token and logs in; returns the cookie token. */
    String setup(String token, String password) throws Refused, IOException {
        synchronized (this) {
            if (setupToken == null || hasPassword()) {
                throw new Refused("the console password is already set; log in with it");
            }
            if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    setupToken.getBytes(StandardCharsets.UTF_8))) {
                throw new Refused("this setup link is not valid; use the one the node printed at its last start");
            }
            checkStrength(password);
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            String line = "pbkdf2-sha256$" + ITERATIONS + "$" + HexFormat.of().formatHex(salt) + "$"
                    + HexFormat.of().formatHex(hash(password.toCharArray(), salt, ITERATIONS)) + "\n";
            Path tmp = file.resolveSibling("login.tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, line);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            setupToken = null;
        }
        return start();
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
     * Checks the password and logs in; returns the cookie token.
     *
     * @param remote the address the request came from
     */
    String login(String password, String remote) throws Refused, IOException {
        if (!hasPassword()) {
            throw new Refused("no console password is set yet; open the setup link the node printed");
        }
        LogonLimiter.Decision d = limiter.attempt(remote, TARGET);
        if (!d.allowed()) {
            if (d.firstRefusal()) {
                LOG.log(System.Logger.Level.WARNING, "console login from {0} refused: {1}", remote, d.reason());
            }
            throw new Refused(d.reason());
        }
        boolean ok;
        try {
            checks.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("the console is stopping");
        }
        try {
            String[] parts = Files.readString(file).trim().split("\\$");
            ok = parts.length == 4 && parts[0].equals("pbkdf2-sha256") && password != null
                    && password.length() <= 256 && MessageDigest.isEqual(HexFormat.of().parseHex(parts[3]),
                            hash(password.toCharArray(), HexFormat.of().parseHex(parts[2]), Integer.parseInt(parts[1])));
        } finally {
            checks.release();
        }
        if (!ok) {
            LOG.log(System.Logger.Level.WARNING, "console login from {0} failed: wrong password", remote);
            throw new Refused("wrong password");
        }
        limiter.succeeded(remote, TARGET);
        LOG.log(System.Logger.Level.INFO, "console login from {0}", remote);
        return start();
    }

    private String start() {
        String token = token();
        logins.put(digest(token), new Login(token(), clock.instant()));
        return token;
    }

    /** The live login of a cookie token, refreshed, or null when there is none or it expired. */
    Login find(String token) {
        if (token == null || token.length() > 100) {
            return null;
        }
        Instant now = clock.instant();
        expire(now);
        Login l = logins.get(digest(token));
        if (l == null) {
            return null;
        }
        l.seen = now;
        return l;
    }

    void logout(String token) {
        if (token != null) {
            logins.remove(digest(token));
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

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hash(char[] password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
                Arrays.fill(password, '\0');
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
