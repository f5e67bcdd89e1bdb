package org.tandemrc.webconnect.manager.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Role;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.protocol.logon.LogonEngine;
import org.tandemrc.protocol.logon.LogonLimiter;
import org.tandemrc.protocol.logon.LogonLimits;
import org.tandemrc.protocol.logon.LogonMethods;
import org.tandemrc.protocol.logon.LogonWork;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Frames;
import org.tandemrc.webconnect.protocol.Logon;
import org.tandemrc.webconnect.protocol.Pairing;
import org.tandemrc.webconnect.protocol.PairingToken;
import org.tandemrc.webconnect.protocol.Resumption;
import org.tandemrc.webconnect.protocol.Support;
import org.tandemrc.webconnect.store.Store;
import org.tandemrc.webconnect.tunnel.Listening;

/**
 * A Connection Manager. Hosts and Guests log on with a WebConnect account (SRP-6a: the password never
 * crosses the wire); a Host keeps its control connection and registers its name; a Guest names a Host
 * (or a ticket) and gets a relay address and a signed token, while the Host gets the same pairing over
 * its control connection and dials the same relay.
 *
 * <p>Several managers may share one PostgreSQL database. The manager holding a Host's control connection
 * is recorded in {@code wc_host}; a Guest's manager that is not that one writes the offer into
 * {@code wc_offer}, which every manager polls for rows addressed to it ({@code poll} milliseconds). A
 * table rather than LISTEN/NOTIFY: it works the same on H2 and PostgreSQL, an offer survives a brief
 * database reconnect, and it needs no driver-specific API; the cost is one indexed query per poll.
 */
public final class ManagerServer {

    private static final Logger LOG = System.getLogger("org.tandemrc.webconnect.manager");
    /** A manager or relay whose heartbeat is older than this counts as gone. */
    static final long STALE_MILLIS = 10_000;
    private static final long HEARTBEAT_MILLIS = 2_000;

    /**
     * What an operator configures.
     *
     * @param idleSeconds a control connection that completes no frame for this long is closed
     * @param limits the logon limits, the same as the Host's ({@code logon.*} keys)
     */
    public record Settings(String id, String host, int port, String advertise, Path keyFile, int tokenSeconds,
            int idleSeconds, int pollMillis, LogonLimits limits, String method) {

        public Settings(String id, String host, int port, String advertise, Path keyFile, int tokenSeconds,
                int idleSeconds, int pollMillis) {
            this(id, host, port, advertise, keyFile, tokenSeconds, idleSeconds, pollMillis, LogonLimits.defaults(),
                    METHOD);
        }
    }

    /**
     * Hosts' resumption tickets and the bound on full logons.
     *
     * @param ticketHours      how long a ticket is good (0: no tickets; at most 8760)
     * @param concurrentLogons full logons (SRP, support codes) in progress at once; one more is told to retry
     * @param retryMillis      the wait a refused logon is told (RETRY), besides the Host's own jittered backoff
     */
    public record Resume(int ticketHours, int concurrentLogons, int retryMillis) {
        public Resume {
            if (ticketHours < 0 || ticketHours > 8760 || concurrentLogons < 1 || concurrentLogons > 100_000
                    || retryMillis < 0 || retryMillis > Resumption.MAX_RETRY_MILLIS) {
                throw new IllegalArgumentException("resumption settings out of range: " + ticketHours + " h, "
                        + concurrentLogons + " logons, " + retryMillis + " ms");
            }
        }

        /** Tickets good for 7 days, 64 full logons at once (the logon work queue's size), retry after 1 s. */
        public static Resume defaults() {
            return new Resume(168, 64, 1000);
        }
    }

    private final Settings settings;
    private final Store store;
    private Resume resume = Resume.defaults();
    /** Null when tickets are off. */
    private Tickets tickets;
    private Semaphore fullLogons;
    private final Accounts accounts;
    /** Support sessions; their codes log Hosts on through {@link #logon} as a second access method. */
    final SupportSessions support;
    private final String id;
    private final KeyPair keys;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Conn> hosts = new ConcurrentHashMap<>();
    private final Set<Conn> connections = ConcurrentHashMap.newKeySet();
    /** The one access method of WebConnect: its accounts' SRP verifiers. */
    public static final String METHOD = "webconnect-account";
    private final java.time.Clock clock;
    /** The Authenticator services present now; {@code method} may name one of them. */
    private volatile Supplier<? extends Collection<Authenticator>> authenticators = List::of;
    /** The built-in method and the Authenticator services, which {@code method} selects by name. */
    final LogonMethods methods = new LogonMethods(() -> authenticators.get(), List::of);
    private LogonWork logonWork;
    private LogonEngine logon;
    /** Logons, successful or not, with the peer's address. */
    final EventRecorder audit = new EventRecorder("org.tandemrc.webconnect.manager.audit");
    private Listening listening;
    private ExecutorService work;
    private ScheduledExecutorService timers;
    private String address;
    private org.tandemrc.webconnect.tls.Tls.ServerIdentity tls;
    private org.tandemrc.api.comm.CommunicationDevice httpDevice;
    private org.tandemrc.api.comm.CommunicationProfile httpProfile;

    /**
     * Also accept clients through the {@code http} device's tunnel, listening with {@code profile} (its
     * {@code bind}, {@code port}, ...); each tunnelled link runs the same pipeline as a TCP connection
     * (TLS included). Call before {@link #start()}.
     */
    public void http(org.tandemrc.api.comm.CommunicationDevice device, org.tandemrc.api.comm.CommunicationProfile profile) {
        this.httpDevice = device;
        this.httpProfile = profile;
    }

    /** Where the HTTP tunnel listens ({@code http:HOST:PORT}), or null. */
    public String httpAddress() {
        return listening == null ? null : listening.httpAddress();
    }

    /** Tickets and the bound on full logons; call before {@link #start()}. */
    public void resumption(Resume r) {
        this.resume = r;
    }

    /** Where the Authenticator services come from; call before {@link #start()}. */
    public void authenticators(Supplier<? extends Collection<Authenticator>> services) {
        this.authenticators = services;
    }

    /** Serve TLS (1.3) with this identity; call before {@link #start()}. Null: plaintext. */
    public void tls(org.tandemrc.webconnect.tls.Tls.ServerIdentity identity) {
        this.tls = identity;
    }

    public org.tandemrc.webconnect.tls.Tls.ServerIdentity tls() {
        return tls;
    }

    public ManagerServer(Settings settings, Store store) throws IOException, GeneralSecurityException {
        this(settings, store, java.time.Clock.systemUTC());
    }

    /** @param clock the time logon limits run by */
    public ManagerServer(Settings settings, Store store, java.time.Clock clock) throws IOException, GeneralSecurityException {
        this.settings = settings;
        this.clock = clock;
        this.store = store;
        this.accounts = new Accounts(store);
        this.support = new SupportSessions(store, random);
        methods.builtIn(support.authenticator());
        byte[] decoySecret = new byte[32];
        random.nextBytes(decoySecret);
        // A malformed or unknown account gets a decoy challenge, and fails like a wrong password.
        methods.builtIn(new SrpAuthenticator(METHOD, name -> {
            try {
                return Logon.validName(name) ? accounts.find(name).map(a -> new SrpAuthenticator.Account(a.verifier(),
                        Set.of())) : Optional.empty();
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
        }, decoySecret, random));
        Properties saved = loadKey(settings.keyFile());
        this.keys = saved == null ? KeyPairGenerator.getInstance("Ed25519").generateKeyPair() : keyPair(saved);
        String configured = settings.id() == null || settings.id().isBlank() ? null : settings.id();
        String savedId = saved == null ? null : saved.getProperty("id");
        this.id = configured != null ? configured
                : savedId != null ? savedId : "manager-" + UUID.randomUUID().toString().substring(0, 8);
        audit.node(id);
        if (saved == null && settings.keyFile() != null) {
            saveKey(settings.keyFile());
        }
    }

    private static Properties loadKey(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    private static KeyPair keyPair(Properties p) throws GeneralSecurityException {
        PrivateKey priv = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(p.getProperty("private"))));
        return new KeyPair(PairingToken.publicKey(p.getProperty("public")), priv);
    }

    private void saveKey(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        String text = "# WebConnect Connection Manager signing key (Ed25519). Keep it secret.\n"
                + "id=" + id + "\npublic=" + PairingToken.encode(keys.getPublic())
                + "\nprivate=" + Base64.getEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    public String id() {
        return id;
    }

    /** {@code host:port} where Hosts and Guests reach this manager. */
    public String address() {
        return address;
    }

    public Accounts accounts() {
        return accounts;
    }

    public Store store() {
        return store;
    }

    /** Binds, publishes this manager's public key in the database, starts heartbeat and offer polling. */
    public void start() throws IOException, SQLException {
        listening = new Listening("wc-manager", "", 2);
        work = Executors.newFixedThreadPool(4, new DefaultThreadFactory("wc-manager-work", true));
        timers = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("wc-manager-timer", true));
        logonWork = new LogonWork(2, 64, "wc-manager-logon");
        fullLogons = new Semaphore(resume.concurrentLogons());
        tickets = resume.ticketHours() > 0 && METHOD.equals(settings.method()) ? Tickets.load(store, random) : null;
        logon = new LogonEngine("the Connection Manager", methods, settings.limits(), clock, logonWork, timers, audit,
                EventCodes.HOST_PASSWORD_LIMIT, "WebConnect logon limit: ");
        ChannelInitializer<Channel> pipeline = new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Conn conn = new Conn(ch);
                        ch.pipeline().addLast(Frames.decoder(Frames.MAX_CONTROL_FRAME));
                        // After the decoder: only whole frames count as activity, not a byte now and then.
                        ch.pipeline().addLast(new IdleStateHandler(settings.idleSeconds(), 0, 0));
                        ch.pipeline().addLast(conn);
                        ch.pipeline().addLast(Frames.closer());
                        if (tls != null) {
                            tls.install(ch, LOG, "manager " + id);
                        }
                    }
                };
        try {
            listening.bind("Connection Manager", settings.host(), settings.port(), b -> b, pipeline, httpDevice,
                    httpProfile);
        } catch (IOException e) {
            stop();
            throw e;
        }
        int port = listening.port();
        address = settings.advertise() == null || settings.advertise().isBlank()
                ? new HostPort(settings.host(), port).authority()
                : settings.advertise();
        if (tls != null && !address.regionMatches(true, 0, "tls:", 0, 4)) {
            address = "tls:" + address;
        }
        heartbeat();
        timers.scheduleWithFixedDelay(this::heartbeatQuietly, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::pollOffers, settings.pollMillis(), settings.pollMillis(), TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "WebConnect Connection Manager " + id + " listens on " + address
                + (httpAddress() == null ? "" : " and through the HTTP tunnel on " + httpAddress())
                + " (database " + store.url() + ")"
                + (tls == null ? "" : "; TLS certificate " + tls.certificateFile() + " SHA-256 " + tls.fingerprint()));
    }

    /** Stops: deregisters its Hosts and itself, closes every connection. */
    public void stop() {
        if (timers != null) {
            timers.shutdownNow();
        }
        if (logonWork != null) {
            logonWork.close();
        }
        if (listening != null) {
            listening.closeListeners();
        }
        for (Conn c : connections) {
            c.channel.close();
        }
        if (address != null) {
            try {
                store.delete(id, "delete from wc_host where manager_id=?", "delete from wc_manager where id=?");
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "manager " + id + ": cannot deregister", e);
            }
        }
        if (listening != null) {
            listening.shutdown();
        }
        if (work != null) {
            work.shutdownNow();
        }
    }

    private void heartbeatQuietly() {
        try {
            heartbeat();
            endSupportHosts();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "manager " + id + ": heartbeat to the database failed", e);
        }
    }

    private void heartbeat() throws SQLException {
        long now = System.currentTimeMillis();
        List<String[]> expired = store.run(c -> {
            if (Store.update(c, "update wc_manager set heartbeat=?, address=? where id=?", now, address, id) == 0) {
                Store.update(c, "insert into wc_manager (id, public_key, address, heartbeat) values (?,?,?,?)", id,
                        PairingToken.encode(keys.getPublic()), address, now);
            }
            // Expired tickets go; so do offers nobody took (their tokens expired anyway).
            Store.update(c, "delete from wc_ticket where expires < ?", now);
            List<String[]> swept = SupportSessions.sweep(c, now);
            Store.update(c, "delete from wc_offer where created < ?", now - settings.tokenSeconds() * 1000L);
            return swept;
        });
        for (String[] e : expired) {
            audit.record(EventCodes.TANDEM_WEBCONNECT_SUPPORT_CHANGED, Severity.INFO, id, e[0], "support session "
                    + (e[2].equals("active") ? "ended: its lifetime ran out" : "expired: no Host joined in time")
                    + " (code ending " + e[1].substring(6) + ")");
        }
    }

    /**
     * Closes the control connections of temporary Hosts here whose session ended (on any manager) or ran
     * out of its lifetime; their registration goes with the connection.
     */
    private void endSupportHosts() throws SQLException {
        for (Conn c : hosts.values()) {
            if (c.supportCode != null && !support.active(c.supportCode)) {
                endSupportHost(c, "the support session has ended");
            }
        }
    }

    private void endSupportHost(Conn c, String why) {
        LOG.log(Level.INFO, () -> "manager " + id + ": " + why + "; closing temporary Host " + c.hostName);
        c.channel.writeAndFlush(Frames.reason(Frames.ERROR, why)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Creates a support session for {@code supporter} of {@code account}, asked from {@code source}. */
    Support.Session createSupport(String source, String account, String supporter, int codeMinutes, int lifetimeMinutes)
            throws Refused, SQLException {
        Support.Session s = support.create(account, supporter, codeMinutes, lifetimeMinutes);
        audit.record(EventCodes.TANDEM_WEBCONNECT_SUPPORT_CHANGED, Severity.INFO, source, account,
                "support session created by " + supporter.strip() + ", code ending " + s.code().substring(6));
        return s;
    }

    /**
     * Extends, cancels or ends a support session of {@code account}, asked from {@code source} by
     * {@code who}; ending it closes its temporary Host here at once (elsewhere at the next heartbeat).
     */
    Support.Session changeSupport(String source, String who, String account, int action, String code)
            throws Refused, SQLException {
        Support.Session s = support.change(account, action, code);
        if (action == Support.STATUS) {
            return s;
        }
        String what = switch (action) {
            case Support.EXTEND -> "extended: its code is valid for another " + support.limits().codeMinutes() + " minutes";
            case Support.RENEW -> "renewed with a new code ending " + s.code().substring(6);
            case Support.CANCEL -> "cancelled";
            default -> "ended";
        };
        audit.record(EventCodes.TANDEM_WEBCONNECT_SUPPORT_CHANGED, Severity.INFO, source, account, "support session "
                + what + " (code ending " + Support.normalize(code).substring(6) + ") by " + who);
        if (action == Support.END) {
            Conn host = hosts.get(key(account, Support.hostName(s.code())));
            if (host != null) {
                endSupportHost(host, "the support session was ended by " + who);
            }
        }
        return s;
    }

    /** Delivers offers other managers wrote for Hosts connected here. */
    private void pollOffers() {
        try {
            List<Object[]> offers = store.run(c -> {
                List<Object[]> rows = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("select id, account, host_name, pairing_id, resume,"
                        + " relay_id, relay_address, token from wc_offer where manager_id=? order by created")) {
                    s.setString(1, id);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            rows.add(new Object[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getInt(5), r.getString(6), r.getString(7), r.getString(8)});
                        }
                    }
                }
                for (Object[] row : rows) {
                    Store.update(c, "delete from wc_offer where id=?", row[0]);
                }
                return rows;
            });
            for (Object[] o : offers) {
                Conn host = hosts.get(key((String) o[1], (String) o[2]));
                if (host != null) {
                    host.send(new Pairing.Offer(HexFormat.of().parseHex((String) o[3]), (Integer) o[4] != 0,
                            (String) o[5], (String) o[6], Base64.getDecoder().decode((String) o[7])).frame());
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "manager " + id + ": polling offers failed", e);
        }
    }

    private static String key(String account, String host) {
        return account + "/" + host;
    }

    /** A refusal the client sees as the reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private record Relay(String id, String address) {
    }

    /**
     * Relays a Guest could not use (named in a RESUME), with the heartbeat they had then. Such a relay is
     * not chosen until its heartbeat moves on: a relay killed without deregistering is skipped at once
     * instead of until its heartbeat is stale, and a live one wrongly named is back within a heartbeat
     * (2 s). Comparing heartbeats with heartbeats keeps the relay's clock out of it.
     */
    private final Map<String, Long> unreachable = new ConcurrentHashMap<>();

    /** The relays not chosen because a Guest reported them unreachable since their last heartbeat. */
    public Set<String> unreachableRelays() {
        return Set.copyOf(unreachable.keySet());
    }

    private void reportedUnreachable(Set<String> relays, String account) throws SQLException {
        for (String r : relays) {
            Long heartbeat = store.run(c -> {
                try (PreparedStatement s = c.prepareStatement("select heartbeat from wc_relay where id=?")) {
                    s.setString(1, r);
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                }
            });
            if (heartbeat != null && unreachable.put(r, heartbeat) == null) {
                LOG.log(Level.INFO, () -> "manager " + id + ": a Guest of account '" + account + "' could not use relay " + r
                        + "; it is not chosen until its next heartbeat");
            }
        }
    }

    private Relay chooseRelay(Connection c, Set<String> avoid) throws SQLException, Refused {
        List<Relay> least = new ArrayList<>();
        int best = Integer.MAX_VALUE;
        try (PreparedStatement s = c.prepareStatement(
                "select id, address, sessions, heartbeat from wc_relay where heartbeat > ?")) {
            s.setLong(1, System.currentTimeMillis() - STALE_MILLIS);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (avoid.contains(r.getString(1))) {
                        continue;
                    }
                    Long reported = unreachable.get(r.getString(1));
                    if (reported != null) {
                        if (r.getLong(4) == reported) {
                            continue;
                        }
                        unreachable.remove(r.getString(1), reported);
                    }
                    int load = r.getInt(3);
                    if (load < best) {
                        best = load;
                        least.clear();
                    }
                    if (load == best) {
                        least.add(new Relay(r.getString(1), r.getString(2)));
                    }
                }
            }
        }
        if (least.isEmpty()) {
            throw new Refused("no Connection Server (relay) is available" + (avoid.isEmpty() ? "" : " besides " + avoid));
        }
        return least.get(random.nextInt(least.size()));
    }

    /** The manager holding the Host's control connection, if it is connected. */
    private Optional<String> hostManager(Connection c, String account, String host) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select h.manager_id from wc_host h join wc_manager m"
                + " on m.id = h.manager_id where h.account=? and h.name=? and m.heartbeat > ?")) {
            s.setString(1, account);
            s.setString(2, host);
            s.setLong(3, System.currentTimeMillis() - STALE_MILLIS);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    private record Pair(byte[] id, Relay relay, byte[] guestToken, String hostName) {
    }

    /** Creates (or, for resume, renews) a pairing and tells the Host. */
    private Pair pair(String account, String hostName, byte[] pairingId, Set<String> avoid) throws SQLException, Refused {
        boolean resume = pairingId != null;
        String[] owner = new String[1];
        Object[] result = store.transaction(c -> {
            try {
                owner[0] = hostManager(c, account, hostName).orElseThrow(() -> new Refused(resume
                        ? "Host '" + hostName + "' is not connected to WebConnect right now"
                        : "no Host named '" + hostName + "' is connected to WebConnect for account '" + account + "'"));
                if (!resume) {
                    int max = accounts.find(account).map(Accounts.Account::maxConnections).orElse(0);
                    if (max > 0) {
                        try (PreparedStatement s = c.prepareStatement("select count(*) from wc_pairing where account=?")) {
                            s.setString(1, account);
                            try (ResultSet r = s.executeQuery()) {
                                r.next();
                                if (r.getInt(1) >= max) {
                                    throw new Refused("account '" + account + "' has reached its limit of " + max
                                            + " connection" + (max == 1 ? "" : "s"));
                                }
                            }
                        }
                    }
                }
                Relay relay = chooseRelay(c, avoid);
                byte[] pid = pairingId;
                if (resume) {
                    Store.update(c, "update wc_pairing set relay_id=? where id=?", relay.id(), HexFormat.of().formatHex(pid));
                } else {
                    pid = new byte[16];
                    random.nextBytes(pid);
                    Store.update(c, "insert into wc_pairing (id, account, host_name, relay_id, created) values (?,?,?,?,?)",
                            HexFormat.of().formatHex(pid), account, hostName, relay.id(), System.currentTimeMillis());
                }
                return new Object[] {pid, relay};
            } catch (Refused r) {
                return new Object[] {r};
            }
        });
        if (result[0] instanceof Refused r) {
            throw r;
        }
        byte[] pid = (byte[]) result[0];
        Relay relay = (Relay) result[1];
        long expires = System.currentTimeMillis() + settings.tokenSeconds() * 1000L;
        byte[] hostToken = new PairingToken(pid, Frames.ROLE_HOST, relay.id(), expires, id).sign(keys.getPrivate());
        byte[] guestToken = new PairingToken(pid, Frames.ROLE_GUEST, relay.id(), expires, id).sign(keys.getPrivate());
        Conn local = owner[0].equals(id) ? hosts.get(key(account, hostName)) : null;
        if (local != null) {
            local.send(new Pairing.Offer(pid, resume, relay.id(), relay.address(), hostToken).frame());
        } else {
            store.update("insert into wc_offer (id, manager_id, account, host_name, pairing_id, resume, relay_id,"
                    + " relay_address, token, created) values (?,?,?,?,?,?,?,?,?,?)",
                    UUID.randomUUID().toString().replace("-", ""), owner[0], account, hostName,
                    HexFormat.of().formatHex(pid), resume ? 1 : 0, relay.id(), relay.address(),
                    Base64.getEncoder().encodeToString(hostToken), System.currentTimeMillis());
        }
        return new Pair(pid, relay, guestToken, hostName);
    }

    /** One control connection; its frames are handled in order on the work pool. */
    private final class Conn extends SimpleChannelInboundHandler<ByteBuf> {
        final Channel channel;
        private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
        private boolean running;
        private LogonEngine.Logon attempt;
        private byte[] nonce;
        private String account;
        private String role;
        private boolean loggedOn;
        private String hostName;
        private String instance;
        /** The code a temporary Host joined with, and the instance it joined as; null for others. */
        volatile String supportCode;
        private Support.Join join;
        /** Set while a logon answer waits for its time: frames after it wait too. */
        private boolean answering;
        private LogonLimiter.Slot slot;
        /** Whether this connection holds one of the full-logon permits. */
        private final AtomicBoolean holdsLogon = new AtomicBoolean();
        /** The resumption secret of this connection's logon, for the ticket its REGISTERED carries; then null. */
        private byte[] secret;
        /** The ticket a RESUME_LOGON presented, opened, and its bytes; until the Host registered. */
        private Tickets.Ticket resuming;
        private byte[] presented;

        Conn(Channel channel) {
            this.channel = channel;
        }

        void send(ByteBuf frame) {
            channel.writeAndFlush(frame);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Optional<LogonLimiter.Slot> s = logon.admit(remote());
            if (s.isEmpty()) {
                ctx.close();
                return;
            }
            slot = s.get();
            connections.add(this);
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            synchronized (queue) {
                queue.add(frame.retain());
                if (running || answering) {
                    return;
                }
                running = true;
            }
            work.execute(this::drain);
        }

        private void drain() {
            while (true) {
                ByteBuf f;
                synchronized (queue) {
                    f = answering ? null : queue.poll();
                    if (f == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    if (channel.isActive()) {
                        handle(f);
                    }
                } catch (Refused e) {
                    refuse(e.getMessage());
                } catch (ProtocolException e) {
                    refuse("protocol error: " + e.getMessage());
                } catch (SQLException | RuntimeException e) {
                    LOG.log(Level.WARNING, "manager " + id + ": request failed", e);
                    refuse("the Connection Manager failed: " + e.getMessage());
                } finally {
                    f.release();
                }
            }
        }

        private void refuse(String reason) {
            channel.writeAndFlush(Frames.reason(Frames.ERROR, reason)).addListener(ChannelFutureListener.CLOSE);
        }

        private void answer(String reason) {
            channel.writeAndFlush(Frames.reason(Frames.ERROR, reason));
        }

        /**
         * Takes a full-logon permit for the manager's part of a logon (computing the challenge, checking the
         * proof; not the client's part in between), or tells the peer to retry later and closes.
         */
        private boolean admitFull() {
            if (fullLogons.tryAcquire()) {
                holdsLogon.set(true);
                return true;
            }
            retry("the Connection Manager is busy with " + resume.concurrentLogons() + " logons");
            return false;
        }

        private void releaseLogon() {
            if (holdsLogon.compareAndSet(true, false)) {
                fullLogons.release();
            }
        }

        private void retry(String why) {
            channel.writeAndFlush(new Resumption.Retry(resume.retryMillis(), why).frame())
                    .addListener(ChannelFutureListener.CLOSE);
        }

        private void handle(ByteBuf f) throws Refused, SQLException, ProtocolException {
            WireReader r = Fields.reader(f);
            int type = r.u8("frame type");
            if (!loggedOn) {
                logon(type, r);
                return;
            }
            switch (type) {
                case Frames.PING -> send(Frames.frame(Frames.PING));
                case Frames.REGISTER -> register(r);
                case Frames.ENDED -> ended(Fields.bytes(r, "pairing id"));
                case Frames.TICKET_REQUEST -> ticket(r.i32("ticket minutes"));
                case Frames.CONNECT -> connect(Fields.string(r, "target"));
                case Frames.SUPPORT_CREATE -> supportCreate(Support.Create.read(r));
                case Frames.SUPPORT_CHANGE -> supportChange(Support.Change.read(r));
                case Frames.SUPPORT_LIST -> supportList();
                case Frames.RESUME -> resume(r);
                default -> throw new Refused("unexpected frame " + type);
            }
        }

        /** The peer's address, as the logon limits and the log know it. */
        private String remote() {
            java.net.SocketAddress a = channel.remoteAddress();
            return a instanceof InetSocketAddress i ? i.getAddress().getHostAddress() + ":" + i.getPort() : String.valueOf(a);
        }

        private void logon(int type, WireReader f) throws Refused, SQLException, ProtocolException {
            if (type == Frames.LOGON && attempt == null && resuming == null) {
                Logon.Request request = Logon.Request.read(f);
                if (request.version() != Frames.VERSION) {
                    throw new Refused("unsupported WebConnect protocol version " + request.version());
                }
                account = request.account();
                role = request.role();
                if (role.equals(Support.ROLE)) {
                    // The code follows in SUPPORT_JOIN; the account is the session's, not the client's to name.
                    account = "";
                    attempt = logon.logon(remote(), new Peer());
                    return;
                }
                if (!role.equals("host") && !role.equals("guest")) {
                    throw new Refused("unknown role '" + role + "'");
                }
                if (!admitFull()) {
                    return;
                }
                nonce = new byte[32];
                random.nextBytes(nonce);
                String target = target();
                attempt = logon.logon(remote(), new Peer());
                pause();
                attempt.start(settings.method(), target, target, target);
            } else if (type == Frames.SUPPORT_JOIN && Support.ROLE.equals(role) && attempt != null && join == null) {
                join = Support.Join.read(f);
                if (!admitFull()) {
                    return;
                }
                pause();
                // Charged per address: a target shared by all would let one guesser lock every Host out.
                String target = "support:" + LogonLimiter.source(remote());
                attempt.start(SupportSessions.METHOD, "*", target, "support code");
            } else if (type == Frames.RESUME_LOGON && attempt == null && resuming == null) {
                Resumption.Request request = Resumption.Request.read(f);
                if (request.version() != Frames.VERSION) {
                    throw new Refused("unsupported WebConnect protocol version " + request.version());
                }
                account = request.account();
                role = "host";
                String why = open(request);
                if (why != null) {
                    resumeRefused(why);
                }
                nonce = new byte[32];
                random.nextBytes(nonce);
                send(Resumption.challenge(nonce));
            } else if (type == Frames.RESUME_PROOF && resuming != null && nonce != null && !loggedOn) {
                byte[] proof = Resumption.readProof(f);
                Tickets.Ticket t = resuming;
                if (!Resumption.same(proof, Resumption.clientProof(t.secret(), nonce, account, t.hostName(), presented))) {
                    resumeRefused("the proof is wrong (not the secret of the Host the ticket was issued to)");
                }
                audit.record(EventCodes.TANDEM_WEBCONNECT_RESUMED, Severity.INFO, remote(), target(),
                        "resumed its WebConnect logon as Host '" + t.hostName() + "' with a ticket");
                byte[] m2 = Resumption.serverProof(t.secret(), nonce, account, t.hostName(), presented);
                secret = Resumption.next(t.secret(), nonce);
                nonce = null;
                loggedOn = true;
                slot.close();
                send(new Resumption.Resumed(m2, id).frame());
            } else if (type == Frames.PROOF && attempt != null && nonce != null) {
                ClientResponse r = Logon.readProof(f);
                if (!admitFull()) {
                    return;
                }
                pause();
                try {
                    attempt.prove(SrpAuthenticator.values(r), Logon.binding(nonce, account));
                } catch (IllegalStateException e) {
                    releaseLogon();
                    resume();
                    throw new Refused("log on first");
                }
            } else {
                throw new Refused("log on first");
            }
        }

        /** Opens a presented ticket; null when it is good for this Host now, or why not. */
        private String open(Resumption.Request request) throws SQLException {
            if (tickets == null) {
                return "this Connection Manager issues no tickets";
            }
            Tickets.Ticket t = tickets.open(request.ticket());
            if (t == null) {
                return "not a ticket of these Connection Managers (forged or changed)";
            }
            if (!t.account().equals(request.account()) || !t.hostName().equals(request.hostName())) {
                return "issued to another Host";
            }
            if (t.expiresAt() <= clock.millis()) {
                return "expired";
            }
            Optional<Accounts.Account> a = Logon.validName(account) ? accounts.find(account) : Optional.empty();
            if (a.isEmpty()) {
                return "the account was removed";
            }
            if (!java.security.MessageDigest.isEqual(Tickets.digest(a.get().verifier()), t.verifierDigest())) {
                return "the account's password changed since it was issued";
            }
            resuming = t;
            presented = request.ticket();
            return null;
        }

        private void resumeRefused(String why) throws Refused {
            audit.record(EventCodes.TANDEM_WEBCONNECT_RESUME_REFUSED, Severity.SECURITY, remote(), target(),
                    "WebConnect resumption ticket refused: " + why);
            throw new Refused(Resumption.REFUSED + why);
        }

        /** A ticket for the Host this connection registered, or null (tickets off, no secret, a temporary Host). */
        private Resumption.Issued issue(String name) throws SQLException {
            byte[] s = secret;
            Tickets.Ticket t = resuming;
            secret = null;
            resuming = null;
            presented = null;
            if (s == null || tickets == null || supportCode != null) {
                return null;
            }
            byte[] digest;
            if (t != null) {
                digest = t.verifierDigest();
            } else {
                Optional<Accounts.Account> a = accounts.find(account);
                if (a.isEmpty()) {
                    return null;
                }
                digest = Tickets.digest(a.get().verifier());
            }
            long expires = clock.millis() + resume.ticketHours() * 3_600_000L;
            return new Resumption.Issued(tickets.seal(new Tickets.Ticket(account, name, expires, digest, s)), expires);
        }

        /** The account as the limits and the log name it: one name for every malformed one. */
        private String target() {
            return Logon.validName(account) ? account : "-";
        }

        /** What the logon engine tells this connection, in WebConnect frames. */
        private final class Peer implements LogonEngine.Peer {

            @Override
            public void challenge(Map<String, byte[]> values) {
                if (join != null) {
                    // A code has no challenge: its proof is the code, sent already, charged and timed as a password.
                    attempt.prove(Map.of("code", join.code().getBytes(StandardCharsets.UTF_8),
                            "instance", join.instance().getBytes(StandardCharsets.UTF_8)), new byte[0]);
                    return;
                }
                // The challenge is out: the manager's work waits for the client, which holds no permit meanwhile.
                releaseLogon();
                send(new Logon.Challenged(nonce, SrpAuthenticator.challenge(values)).frame());
                resume();
            }

            @Override
            public Runnable granted(AuthResult result, Optional<Role> r) {
                if (join != null) {
                    return joined(SupportSessions.joined(result));
                }
                audit.record(EventCodes.TANDEM_WEBCONNECT_LOGGED_ON, Severity.INFO, remote(), target(),
                        "logged on to WebConnect as " + role);
                byte[] m2 = SrpAuthenticator.answer(result, SrpAuthenticator.SERVER_PROOF);
                byte[] k = result.answer().get(SrpAuthenticator.SESSION_KEY);
                byte[] s = k == null || k.length == 0 || tickets == null || !role.equals("host") ? null
                        : Resumption.afterLogon(k, nonce, account);
                releaseLogon();
                return () -> {
                    loggedOn = true;
                    secret = s;
                    slot.close();
                    // Done with the exchange: an idle Host's connection should not keep its logon state for as
                    // long as it stays connected.
                    nonce = null;
                    attempt = null;
                    send(new Logon.Welcome(m2, id).frame());
                    resume();
                };
            }

            @Override
            public Runnable denied(AuthResult result) {
                releaseLogon();
                if (join != null) {
                    audit.record(EventCodes.TANDEM_WEBCONNECT_SUPPORT_REFUSED, Severity.SECURITY, remote(), "support code",
                            "support code refused: " + result.failure().orElse(SupportSessions.REFUSED));
                    return () -> refuse(result.failure().orElse(SupportSessions.REFUSED));
                }
                audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, remote(), target(),
                        "WebConnect logon as " + role + " failed: wrong account or password");
                return () -> refuse("logon failed: wrong account or password");
            }

            @Override
            public void refused(LogonEngine.Refusal kind, String reason) {
                releaseLogon();
                if (kind == LogonEngine.Refusal.BUSY) {
                    retry(reason);
                    return;
                }
                refuse(switch (kind) {
                    case LIMITED -> "logon refused: " + reason;
                    case UNAVAILABLE -> "the Connection Manager failed: " + reason;
                    case BUSY, INVALID, UNKNOWN_METHOD -> reason;
                });
            }
        }

        /** A temporary Host's code was right: it now acts for the session's account, as its one Host. */
        private Runnable joined(SupportSessions.Joined j) {
            releaseLogon();
            audit.record(EventCodes.TANDEM_WEBCONNECT_SUPPORT_JOINED, Severity.INFO, remote(), j.hostName(),
                    (j.first() ? "a temporary Host joined the support session of " : "the temporary Host rejoined the"
                            + " support session of ") + j.supporter() + " (account '" + j.account() + "')");
            return () -> {
                account = j.account();
                role = "host";
                supportCode = j.hostName().substring("support-".length());
                loggedOn = true;
                slot.close();
                attempt = null;
                send(new Support.Joined(j.account(), j.hostName(), j.supporter(), j.ends(), id).frame());
                resume();
            };
        }

        private void supportCreate(Support.Create create) throws Refused, SQLException {
            requireRole("guest");
            try {
                send(createSupport(remote(), account, create.supporter(), create.codeMinutes(), create.lifetimeMinutes())
                        .frame());
            } catch (Refused r) {
                answer(r.getMessage());
            }
        }

        private void supportChange(Support.Change change) throws Refused, SQLException {
            if (supportCode != null) {
                // The temporary Host's person ended it (End support, or refused the supporter).
                if (change.action() != Support.END || !supportCode.equals(Support.normalize(change.code()))) {
                    throw new Refused("a temporary Host may only end its own support session");
                }
                changeSupport(remote(), "the person at the temporary Host", account, Support.END, supportCode);
                return;
            }
            requireRole("guest");
            try {
                send(changeSupport(remote(), "the supporter", account, change.action(), change.code()).frame());
            } catch (Refused r) {
                answer(r.getMessage());
            }
        }

        private void supportList() throws Refused, SQLException {
            requireRole("guest");
            send(new Support.Sessions(support.list(account)).frame());
        }

        /** Frames after a logon message wait until its answer is out, which the engine times. */
        private void pause() {
            synchronized (queue) {
                answering = true;
            }
        }

        private void resume() {
            boolean more;
            synchronized (queue) {
                answering = false;
                more = !queue.isEmpty() && !running;
                if (more) {
                    running = true;
                }
            }
            if (more) {
                work.execute(this::drain);
            }
        }

        private void requireRole(String needed) throws Refused {
            if (!needed.equals(role)) {
                throw new Refused("this request is for a " + needed + ", and this connection logged on as " + role);
            }
        }

        private void register(WireReader f) throws Refused, SQLException, ProtocolException {
            requireRole("host");
            Pairing.Register register = Pairing.Register.read(f);
            String name = register.hostName();
            String inst = register.instance();
            Set<String> live = new HashSet<>();
            register.live().forEach(id -> live.add(HexFormat.of().formatHex(id)));
            if (supportCode != null && !name.equals(Support.hostName(supportCode))) {
                throw new Refused("a temporary Host registers as '" + Support.hostName(supportCode) + "'");
            }
            if (!Logon.validName(name)) {
                throw new Refused("Host names are 1..64 letters, digits, '.', '-' or '_': '" + name + "'");
            }
            if (hostName != null) {
                throw new Refused("this connection already registered Host '" + hostName + "'");
            }
            if (resuming != null && !name.equals(resuming.hostName())) {
                throw new Refused("this connection resumed Host '" + resuming.hostName() + "' and registers only that name");
            }
            String refusal = store.transaction(c -> {
                try (PreparedStatement s = c.prepareStatement("select h.instance, m.heartbeat from wc_host h left join"
                        + " wc_manager m on m.id = h.manager_id where h.account=? and h.name=?")) {
                    s.setString(1, account);
                    s.setString(2, name);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next() && !r.getString(1).equals(inst)
                                && r.getLong(2) > System.currentTimeMillis() - STALE_MILLIS) {
                            return "another Host is registered as '" + name + "' for account '" + account + "'";
                        }
                    }
                }
                Store.update(c, "delete from wc_host where account=? and name=?", account, name);
                Store.update(c, "insert into wc_host (account, name, manager_id, instance, registered) values (?,?,?,?,?)",
                        account, name, id, inst, System.currentTimeMillis());
                // Pairings of this Host whose links it no longer has no longer count against the limit.
                List<String> gone = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("select id from wc_pairing where account=? and host_name=?")) {
                    s.setString(1, account);
                    s.setString(2, name);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            if (!live.contains(r.getString(1))) {
                                gone.add(r.getString(1));
                            }
                        }
                    }
                }
                for (String g : gone) {
                    Store.update(c, "delete from wc_pairing where id=?", g);
                }
                return null;
            });
            if (refusal != null) {
                throw new Refused(refusal);
            }
            hostName = name;
            instance = inst;
            Conn previous = hosts.put(key(account, name), this);
            if (previous != null && previous != this) {
                previous.channel.close();
            }
            send(Resumption.registered(name, address, issue(name)));
        }

        private void ended(byte[] pairing) throws SQLException {
            store.update("delete from wc_pairing where id=? and account=?", HexFormat.of().formatHex(pairing), account);
        }

        private void ticket(int minutes) throws Refused, SQLException {
            requireRole("host");
            if (supportCode != null) {
                throw new Refused("a temporary Host gets no tickets: its supporter connects with the support code");
            }
            if (hostName == null) {
                throw new Refused("register the Host before asking for a ticket");
            }
            int valid = Math.max(1, Math.min(minutes, 24 * 60));
            String code = String.format("%03d-%03d-%03d", random.nextInt(1000), random.nextInt(1000), random.nextInt(1000));
            long expires = System.currentTimeMillis() + valid * 60_000L;
            store.update("insert into wc_ticket (code, account, host_name, expires) values (?,?,?,?)", code, account,
                    hostName, expires);
            send(Frames.frame(Frames.TICKET, Fields.string(new WireWriter(), code).i64(expires)));
        }

        private void connect(String target) throws SQLException, Refused {
            requireRole("guest");
            String host = target;
            if (target.startsWith("ticket:")) {
                String code = target.substring("ticket:".length()).trim();
                host = store.run(c -> {
                    try (PreparedStatement s = c.prepareStatement(
                            "select host_name from wc_ticket where code=? and account=? and expires > ?")) {
                        s.setString(1, code);
                        s.setString(2, account);
                        s.setLong(3, System.currentTimeMillis());
                        try (ResultSet r = s.executeQuery()) {
                            return r.next() ? r.getString(1) : null;
                        }
                    }
                });
                if (host == null) {
                    answer("no valid ticket '" + code + "' for account '" + account + "'");
                    return;
                }
            } else if (target.startsWith("support:")) {
                String code = target.substring("support:".length()).trim();
                host = support.target(account, code);
                if (host == null) {
                    answer("no active support session '" + code + "' for account '" + account + "'");
                    return;
                }
            }
            try {
                paired(pair(account, host, null, Set.of()));
            } catch (Refused r) {
                answer(r.getMessage()); // the Guest may ask again on this connection
            }
        }

        private void resume(WireReader f) throws SQLException, Refused, ProtocolException {
            requireRole("guest");
            byte[] pairing = Fields.bytes(f, "pairing id");
            int n = Fields.count(f, "relays to avoid", 2, Frames.MAX_CONTROL_FRAME / 2);
            Set<String> avoid = new HashSet<>();
            for (int i = 0; i < n && i < 64; i++) {
                avoid.add(Fields.string(f, "relay id"));
            }
            reportedUnreachable(avoid, account);
            String host = store.run(c -> {
                try (PreparedStatement s = c.prepareStatement("select host_name from wc_pairing where id=? and account=?")) {
                    s.setString(1, HexFormat.of().formatHex(pairing));
                    s.setString(2, account);
                    try (ResultSet r = s.executeQuery()) {
                        return r.next() ? r.getString(1) : null;
                    }
                }
            });
            if (host == null) {
                answer("the connection has ended: its pairing is unknown to WebConnect");
                return;
            }
            try {
                paired(pair(account, host, pairing, avoid));
            } catch (Refused r) {
                answer(r.getMessage());
            }
        }

        private void paired(Pair p) {
            send(new Pairing.Paired(p.id(), p.relay().id(), p.relay().address(), p.guestToken(), p.hostName()).frame());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.DEBUG, () -> "manager " + id + ": connection from " + ctx.channel().remoteAddress() + " failed: " + cause);
            ctx.fireExceptionCaught(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections.remove(this);
            releaseLogon();
            LogonEngine.Logon pending = attempt;
            if (pending != null) {
                pending.end();
            }
            if (slot != null) {
                slot.close();
            }
            synchronized (queue) {
                queue.forEach(ByteBuf::release);
                queue.clear();
            }
            if (hostName != null && hosts.remove(key(account, hostName), this) && !work.isShutdown()) {
                String a = account;
                String n = hostName;
                String inst = instance;
                work.execute(() -> {
                    try {
                        store.update("delete from wc_host where account=? and name=? and manager_id=? and instance=?", a,
                                n, id, inst);
                    } catch (SQLException e) {
                        LOG.log(Level.WARNING, "manager " + id + ": cannot deregister Host " + n, e);
                    }
                });
            }
        }
    }
}
