package org.tandemrc.security.audit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslog (Debian's {@code rsyslog} and {@code rsyslog-gnutls}) for tests: its own configuration,
 * work folder and pid file in {@code dir}, listening with TLS (gtls driver, mode 1, anonymous clients) on
 * 127.0.0.1 and a free port, writing {@code MSGID|STRUCTURED-DATA|MSG} lines to {@link #file}. It can be
 * stopped and started again on the same port.
 */
final class Rsyslog implements AutoCloseable {

    /** Where received messages go, one line each. */
    final Path file;
    final int port;
    private final Path dir;
    private Process process;

    /**
     * Makes, with openssl, a CA ({@code ca.crt}) and a server certificate it signs for 127.0.0.1
     * ({@code server.crt}, {@code server.key}) in {@code dir}; returns the CA's file.
     */
    static Path certificates(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Tandem test syslog CA");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
        return dir.resolve("ca.crt");
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    /** @param ca the CA file; {@code certificate} and {@code key}: the server's PEM files */
    Rsyslog(Path dir, Path ca, Path certificate, Path key) throws IOException {
        this.dir = dir;
        this.file = dir.resolve("received.log");
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("work"));
        Files.writeString(dir.resolve("rsyslog.conf"), """
                global(workDirectory="%1$s/work"
                  defaultNetstreamDriver="gtls"
                  defaultNetstreamDriverCAFile="%6$s"
                  defaultNetstreamDriverCertFile="%2$s"
                  defaultNetstreamDriverKeyFile="%3$s")
                module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
                input(type="imtcp" address="127.0.0.1" port="%4$d")
                template(name="audit" type="string" string="%%msgid%%|%%structured-data%%|%%msg%%\\n")
                *.* action(type="omfile" file="%5$s" template="audit")
                """.formatted(dir, certificate, key, port, file, ca));
    }

    /** Starts rsyslogd and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("rsyslogd", "-n", "-f", dir.resolve("rsyslog.conf").toString(), "-i",
                dir.resolve("rsyslog.pid").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("rsyslogd did not start: " + Files.readString(dir.resolve("rsyslogd.out")), e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Stops rsyslogd (SIGTERM) and waits for it to end. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** The lines received so far. */
    List<String> lines() throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** Waits until at least {@code n} lines arrived (at most {@code seconds}); returns the lines. */
    List<String> await(int n, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> lines = lines();
        while (lines.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
            lines = lines();
        }
        return lines;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
