package org.tandemrc.security.audit.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.tandemrc.support.jdbc.Database;
import org.tandemrc.support.tls.Certificates;

/**
 * Sends every row of {@code ss_audit} to a syslog receiver over TCP with TLS ({@link Syslog} messages), in
 * id order, from its own thread and database connection. The rows always come from the table, a bounded
 * batch at a time; what was sent is remembered in {@code ss_audit_forward} (the last id, per receiver), so
 * rows stored while the receiver was down are sent when it is back, and a restart sends nothing twice. The
 * batch's rows and that id move in one transaction that locks the receiver's row: Security Servers sharing
 * a PostgreSQL database send each row once between them. An append {@link #wake wakes} the thread; it also
 * looks every few seconds, for rows another server stored.
 *
 * <p>A batch whose writing fails is sent again whole, so a receiver that breaks off mid-batch may get some
 * rows twice; before a batch the connection is checked for an orderly close by the receiver (a restart), so
 * that case sends nothing twice.
 */
final class SyslogForwarder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AuditComponent.PID);
    /** Rows sent at once. */
    static final int BATCH = 500;
    private static final long POLL_MS = 5000;
    private static final long RETRY_MIN_MS = 250;
    private static final long RETRY_MAX_MS = 10_000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    /** Where to send, and how the messages name this node. */
    record Settings(String host, int port, Path ca, String hostname, String app) {
        static Settings of(AuditConfig c) {
            if (c.syslog_port() < 1 || c.syslog_port() > 65535) {
                throw new IllegalArgumentException(AuditComponent.PID + ": syslog.port is 1 to 65535, not "
                        + c.syslog_port());
            }
            String hostname = c.syslog_hostname().strip();
            if (hostname.isEmpty()) {
                try {
                    hostname = InetAddress.getLocalHost().getHostName();
                } catch (IOException e) {
                    hostname = "-";
                }
            }
            return new Settings(c.syslog_host().strip(), c.syslog_port(),
                    c.syslog_ca().isBlank() ? null : Path.of(c.syslog_ca().strip()), hostname, c.syslog_app());
        }

        String receiver() {
            return host + ":" + port;
        }
    }

    private final Settings settings;
    private final Database db;
    private final SSLContext tls;
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile SSLSocket socket;

    private SyslogForwarder(Settings settings, Database db) throws IOException, GeneralSecurityException {
        this.settings = settings;
        this.db = db;
        this.tls = context(settings.ca());
        this.thread = new Thread(this::loop, "audit syslog " + settings.receiver());
        thread.setDaemon(true);
    }

    /** Starts forwarding to {@code settings}' receiver; {@code db} is its own and closed with it. */
    static SyslogForwarder start(Settings settings, Database db) throws IOException, GeneralSecurityException {
        SyslogForwarder f;
        try {
            f = new SyslogForwarder(settings, db);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            db.close();
            throw e;
        }
        f.thread.start();
        return f;
    }

    private static SSLContext context(Path ca) throws IOException, GeneralSecurityException {
        SSLContext c = SSLContext.getInstance("TLS");
        if (ca == null) {
            c.init(null, null, null);
            return c;
        }
        List<X509Certificate> certs = Certificates.certificates(ca);
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(AuditComponent.PID + ": syslog.ca " + ca + " holds no certificate");
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certs.size(); i++) {
            trust.setCertificateEntry("ca" + i, certs.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** There may be new rows. Never blocks. */
    void wake() {
        wake.offer(Boolean.TRUE);
    }

    private void loop() {
        long retry = RETRY_MIN_MS;
        boolean down = false;
        while (running) {
            try {
                int sent = forwardBatch();
                if (down) {
                    LOG.log(System.Logger.Level.INFO, "syslog receiver {0} reached again", settings.receiver());
                    down = false;
                }
                retry = RETRY_MIN_MS;
                if (sent < BATCH) {
                    wake.poll(POLL_MS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | SQLException | RuntimeException e) {
                disconnect();
                if (!running) {
                    return;
                }
                if (!down) {
                    LOG.log(System.Logger.Level.WARNING, "syslog receiver {0}: {1}; rows are kept and sent when it"
                            + " is back", settings.receiver(), e.toString());
                    down = true;
                }
                try {
                    stopped.await(retry, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
                retry = Math.min(RETRY_MAX_MS, retry * 2);
            }
        }
    }

    /** Sends the next batch and remembers it; returns how many rows went. */
    int forwardBatch() throws IOException, SQLException {
        try {
            return db.transaction(c -> {
                String receiver = settings.receiver();
                Database.update(c, "insert into ss_audit_forward (receiver, last_id) select cast(? as varchar(300)), 0"
                        + " where not exists (select 1 from ss_audit_forward where receiver = ?)", receiver, receiver);
                long last;
                try (PreparedStatement p = c.prepareStatement(
                        "select last_id from ss_audit_forward where receiver = ? for update")) {
                    p.setString(1, receiver);
                    try (ResultSet r = p.executeQuery()) {
                        r.next();
                        last = r.getLong(1);
                    }
                }
                List<AuditRow> rows = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement("select " + AuditRow.COLUMNS
                        + " from ss_audit where id > ? order by id limit ?")) {
                    p.setLong(1, last);
                    p.setInt(2, BATCH);
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            rows.add(AuditRow.read(r));
                        }
                    }
                }
                if (rows.isEmpty()) {
                    return 0;
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(rows.size() * 256);
                for (AuditRow row : rows) {
                    bytes.writeBytes(Syslog.framed(Syslog.message(row, settings.hostname(), settings.app())));
                }
                try {
                    send(bytes.toByteArray());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Database.update(c, "update ss_audit_forward set last_id = ? where receiver = ?",
                        rows.get(rows.size() - 1).id(), receiver);
                return rows.size();
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void send(byte[] data) throws IOException {
        if (socket != null && closedByPeer(socket)) {
            disconnect();
        }
        if (socket == null) {
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
            try {
                s.connect(new InetSocketAddress(settings.host(), settings.port()), CONNECT_TIMEOUT_MS);
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.setSoTimeout(CONNECT_TIMEOUT_MS);
                s.startHandshake();
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
        }
        OutputStream out = socket.getOutputStream();
        out.write(data);
        out.flush();
    }

    /**
     * Whether the receiver closed the connection: it never sends anything, so a read that does not time
     * out at once means the end (or an error). Writing into such a connection would succeed and lose the rows.
     */
    private static boolean closedByPeer(SSLSocket s) {
        try {
            s.setSoTimeout(1);
            InputStream in = s.getInputStream();
            in.read(); // data or the end: either way this connection is over
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            try {
                s.setSoTimeout(CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                // closed: the next write fails and the batch is sent again
            }
        }
    }

    private void disconnect() {
        SSLSocket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already broken
            }
        }
    }

    /** The last id sent to this receiver (0 when none). */
    long forwarded() throws SQLException {
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("select last_id from ss_audit_forward where receiver = ?")) {
                p.setString(1, settings.receiver());
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? r.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void close() {
        // No interrupt: an interrupted thread inside H2 may close the database file under it.
        running = false;
        stopped.countDown();
        wake.offer(Boolean.TRUE);
        disconnect();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnect();
        db.close();
    }
}
