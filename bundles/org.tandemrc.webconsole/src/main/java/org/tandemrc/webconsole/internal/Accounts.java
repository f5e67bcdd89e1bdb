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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The console's supporter accounts on disk: {@code data/console/accounts}, one JSON object per line
 * (name, role, whether disabled, the PBKDF2 hash of the password, and while the person has not chosen
 * it yet the SHA-256 of their one-time setup token with its expiry). The file is readable only by the
 * node's user and replaced atomically, so a crash leaves the old list or the new one. A store of the
 * single console password of earlier versions ({@code data/console/login}) becomes an administrator
 * account on first start (named as the node's OS user, else {@value #MIGRATED_FALLBACK}) and is kept as
 * {@code login.migrated}.
 */
final class Accounts {

    static final int ITERATIONS = 310_000;
    static final String MIGRATED_FALLBACK = "admin";
    static final int MAX_ACCOUNTS = 1000;
    private static final int MAX_FILE = 4 * 1024 * 1024;

    /** What an account may do: an administrator also manages the accounts. */
    enum Role {
        ADMINISTRATOR, SUPPORTER;

        String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Role of(String text) throws Logins.Refused {
            for (Role r : values()) {
                if (r.text().equals(text)) {
                    return r;
                }
            }
            throw new Logins.Refused("a role is administrator or supporter, not " + text);
        }
    }

    /**
     * One account. {@code password} is empty until the person chose it through {@code setup}, the SHA-256
     * of their one-time link's token, valid until {@code setupUntil}.
     */
    record Account(String name, Role role, boolean disabled, String password, String setup, Instant setupUntil) {
        boolean pending() {
            return password.isEmpty();
        }

        Account with(Role r, boolean d, String pw, String s, Instant until) {
            return new Account(name, r, d, pw, s, until);
        }

        Map<String, Object> line() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("role", role.text());
            m.put("disabled", disabled);
            m.put("password", password);
            m.put("setup", setup);
            m.put("setupUntil", setupUntil.toString());
            return m;
        }
    }

    private static final System.Logger LOG = System.getLogger("org.tandemrc.webconsole");
    private final Path file;
    private final SecureRandom random = new SecureRandom();
    /** By name, in the order they were made. Guarded by this. */
    private final Map<String, Account> accounts = new LinkedHashMap<>();

    /** Opens the store in {@code dir}, moving an earlier single-password store into it. */
    Accounts(Path dir) throws IOException {
        this.file = dir.resolve("accounts");
        Path old = dir.resolve("login");
        if (!Files.exists(file) && Files.exists(old)) {
            String name = defaultName();
            accounts.put(name, new Account(name, Role.ADMINISTRATOR, false, Files.readString(old).trim(), "", Instant.EPOCH));
            write();
            Files.move(old, dir.resolve("login.migrated"), StandardCopyOption.REPLACE_EXISTING);
            LOG.log(System.Logger.Level.WARNING, "the console password of " + old + " is now the password of the"
                    + " administrator account '" + name + "' (" + file + "); log in with that user name");
        }
        if (Files.exists(file)) {
            if (Files.size(file) > MAX_FILE) {
                throw new IOException(file + " is larger than " + MAX_FILE + " bytes; it is not the console's accounts");
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                Account a = parse(line);
                accounts.put(a.name(), a);
            }
        }
    }

    private static Account parse(String line) throws IOException {
        try {
            Map<String, Object> m = Json.object(line);
            return new Account(checkName(text(m, "name")), Role.of(text(m, "role")), Boolean.TRUE.equals(m.get("disabled")),
                    text(m, "password"), text(m, "setup"), Instant.parse(text(m, "setupUntil")));
        } catch (Json.Malformed | Logins.Refused | RuntimeException e) {
            throw new IOException("the console's accounts file holds a line it cannot read: " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, Object> m, String key) {
        return m.get(key) instanceof String s ? s : "";
    }

    /**
     * The name an account gets when none is given: the node's OS user when that is a valid name, else
     * {@value #MIGRATED_FALLBACK}.
     */
    static String defaultName() {
        String user = System.getProperty("user.name", "").toLowerCase(Locale.ROOT);
        try {
            return checkName(user);
        } catch (Logins.Refused e) {
            return MIGRATED_FALLBACK;
        }
    }

    /**
     * A user name as stored: lower case, 1 to 64 of letters, digits, {@code . _ - @}, starting with a
     * letter or digit (it also names the account's personal phonebook folder).
     */
    static String checkName(String name) throws Logins.Refused {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!n.matches("[a-z0-9][a-z0-9._@-]{0,63}")) {
            throw new Logins.Refused("a user name has 1 to 64 letters, digits, '.', '_', '-' or '@' and starts with a"
                    + " letter or digit");
        }
        return n;
    }

    synchronized boolean isEmpty() {
        return accounts.isEmpty();
    }

    synchronized List<Account> list() {
        return new ArrayList<>(accounts.values());
    }

    synchronized Optional<Account> get(String name) {
        return Optional.ofNullable(name == null ? null : accounts.get(name.trim().toLowerCase(Locale.ROOT)));
    }

    /** Adds an account; refused when the name is taken. */
    synchronized void add(Account a) throws Logins.Refused, IOException {
        if (accounts.containsKey(a.name())) {
            throw new Logins.Refused("there is already an account " + a.name());
        }
        if (accounts.size() >= MAX_ACCOUNTS) {
            throw new Logins.Refused("the console holds at most " + MAX_ACCOUNTS + " accounts");
        }
        accounts.put(a.name(), a);
        write();
    }

    /** What an account the Security Server vouches for holds instead of a password hash: no local login. */
    static final String CENTRAL = "security-server";

    /**
     * The account of a supporter the Security Server logged on, made at their first login and given the
     * role the server's rules give each time; an account of that name kept here keeps its password and
     * whether it is disabled (administrators still disable people here).
     */
    synchronized Account central(String name, Role role) throws Logins.Refused, IOException {
        Account was = accounts.get(name);
        if (was == null) {
            Account a = new Account(name, role, false, CENTRAL, "", Instant.EPOCH);
            add(a);
            return a;
        }
        if (was.role() == role) {
            return was;
        }
        accounts.put(name, was.with(role, was.disabled(), was.pending() ? CENTRAL : was.password(), "", Instant.EPOCH));
        write();
        return accounts.get(name);
    }

    /**
     * Changes an account ({@code change} returns null to delete it), refused when that would leave no
     * enabled administrator with a password.
     */
    synchronized Account change(String name, UnaryOperator<Account> change) throws Logins.Refused, IOException {
        Account was = get(name).orElseThrow(() -> new Logins.Refused("there is no account " + name));
        Account now = change.apply(was);
        Map<String, Account> next = new LinkedHashMap<>(accounts);
        if (now == null) {
            next.remove(was.name());
        } else {
            next.put(was.name(), now);
        }
        if (next.values().stream().noneMatch(a -> a.role() == Role.ADMINISTRATOR && !a.disabled() && !a.pending())) {
            throw new Logins.Refused("the console keeps at least one enabled administrator: make another one first");
        }
        accounts.clear();
        accounts.putAll(next);
        write();
        return now;
    }

    private void write() throws IOException {
        StringBuilder b = new StringBuilder();
        for (Account a : accounts.values()) {
            b.append(Json.write(a.line())).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    // ---------------------------------------------------------------- passwords and tokens

    /** The stored form of a password: {@code pbkdf2-sha256$iterations$salt$hash}. */
    String encode(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return "pbkdf2-sha256$" + ITERATIONS + "$" + HexFormat.of().formatHex(salt) + "$"
                + HexFormat.of().formatHex(hash(password.toCharArray(), salt, ITERATIONS));
    }

    /** Whether {@code password} is the one {@code stored} was made from; as slow for every stored form. */
    static boolean matches(String stored, String password) {
        String[] parts = stored.trim().split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256") || password == null || password.length() > 256) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1 || iterations > 10_000_000) {
                return false;
            }
            return MessageDigest.isEqual(HexFormat.of().parseHex(parts[3]),
                    hash(password.toCharArray(), HexFormat.of().parseHex(parts[2]), iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String digest(String token) {
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
