package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.Postgres;

import com.sun.net.httpserver.HttpServer;

/**
 * Tunnels between a Guest and a Host as real processes on loopback: a real HTTP server (the JDK's) and a
 * real PostgreSQL reached through {@code tandem guest tunnel}, 100 MiB each way compared by SHA-256, 100 MiB
 * the reverse way (the Host listens), a destination the role does not list, and a role without the tunnel
 * privilege.
 */
class TunnelIT {

    private static final String PASSWORD = "tunnel test host password";
    private static final long SIZE = 100L * 1024 * 1024;
    private static final Pattern FORWARDING = Pattern.compile("Forwarding 127\\.0\\.0\\.1:(\\d+) to (\\S+) through ");

    @TempDir
    Path tmp;

    /** A Host with the tunnel tool whose shared password has {@code role}; {@code tunnel} is its tunnel config. */
    private NodeProcess host(String role, String tunnel) throws Exception {
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        Map<String, String> etc = new LinkedHashMap<>();
        etc.put("node.properties", "features = comm-tcp, sessions, log-file, tools-tunnel\n");
        etc.put("org.tandemrc.host.role-tunnel.cfg", "name = Tunnellers\nprivileges = tunnel\n");
        etc.put("org.tandemrc.host.security.cfg", "shared.role = " + role + "\n");
        etc.put("org.tandemrc.tool.tunnel.cfg", tunnel);
        return NodeProcess.host(tmp.resolve("host"), pw, Map.of(), false, etc);
    }

    /** The local port of each forwarding the running {@code tandem guest tunnel} printed, by destination. */
    private static Map<String, Integer> ports(NodeProcess tunnel) throws InterruptedException {
        tunnel.awaitLine(l -> l.equals("Ctrl+C ends the tunnel.") || l.startsWith("tandem:"), 60_000);
        Map<String, Integer> ports = new LinkedHashMap<>();
        Matcher m = FORWARDING.matcher(tunnel.output());
        while (m.find()) {
            ports.put(m.group(2), Integer.parseInt(m.group(1)));
        }
        return ports;
    }

    @Test
    void anHttpServerAndPostgresqlAreReachedThroughTheTunnelAndAnUnlistedDestinationIsNot() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        http.createContext("/data", exchange -> {
            exchange.sendResponseHeaders(200, SIZE);
            try (OutputStream out = exchange.getResponseBody(); InputStream in = generated(1)) {
                in.transferTo(out);
            }
        });
        http.createContext("/sha256", exchange -> {
            MessageDigest md = sha256();
            try (InputStream in = exchange.getRequestBody()) {
                long n = new DigestInputStream(in, md).transferTo(OutputStream.nullOutputStream());
                byte[] answer = (n + " " + HexFormat.of().formatHex(md.digest())).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        http.start();
        AtomicInteger unlisted = new AtomicInteger();
        try (ServerSocket other = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Postgres pg = Postgres.start()) {
            Thread counter = new Thread(() -> {
                while (true) {
                    try (Socket s = other.accept()) {
                        unlisted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            counter.setDaemon(true);
            counter.start();
            int web = http.getAddress().getPort();
            int reversePort;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                reversePort = free.getLocalPort();
            }
            String allowed = "Tunnellers = 127.0.0.1:" + web + ", localhost:" + pg.port + "\n"
                    + "listen.Tunnellers = 127.0.0.1:" + reversePort + "\n";
            try (NodeProcess host = host("Tunnellers", allowed);
                    NodeProcess tunnel = NodeProcess.start(NodeProcess.guestArgs(tmp, PASSWORD, "tunnel",
                            host.tcpAddress(), "--local", "0:127.0.0.1:" + web + ",0:localhost:" + pg.port
                                    + ",0:127.0.0.1:" + other.getLocalPort(),
                            "--remote", reversePort + ":127.0.0.1:" + web))) {
                Map<String, Integer> ports = ports(tunnel);
                assertEquals(3, ports.size(), tunnel.output());
                assertTrue(tunnel.output().matches("(?s).*\nForwarding .+ 127\\.0\\.0\\.1:" + reversePort + " to 127\\.0\\.0\\.1:"
                        + web + " here\n.*"), tunnel.output());
                int webPort = ports.get("127.0.0.1:" + web);
                int pgPort = ports.get("localhost:" + pg.port);
                int otherPort = ports.get("127.0.0.1:" + other.getLocalPort());

                HttpClient client = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + webPort;
                HttpResponse<InputStream> down = client.send(HttpRequest.newBuilder(URI.create(base + "/data")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, down.statusCode());
                MessageDigest got = sha256();
                long n;
                try (InputStream in = down.body()) {
                    n = new DigestInputStream(in, got).transferTo(OutputStream.nullOutputStream());
                }
                assertEquals(SIZE, n);
                assertEquals(HexFormat.of().formatHex(digest(1)), HexFormat.of().formatHex(got.digest()),
                        "100 MiB from the Host's side arrived intact");

                // The reverse way: the Host listens, and its connection reaches the server from the Guest's side.
                HttpResponse<InputStream> back = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + reversePort + "/data")).build(), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, back.statusCode());
                MessageDigest reverse = sha256();
                try (InputStream in = back.body()) {
                    n = new DigestInputStream(in, reverse).transferTo(OutputStream.nullOutputStream());
                }
                assertEquals(SIZE, n);
                assertEquals(HexFormat.of().formatHex(digest(1)), HexFormat.of().formatHex(reverse.digest()),
                        "100 MiB through the reverse tunnel arrived intact");

                HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(base + "/sha256"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> generated(2)), SIZE))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, up.statusCode(), up.body());
                assertEquals(SIZE + " " + HexFormat.of().formatHex(digest(2)), up.body(),
                        "100 MiB from the Guest's side arrived intact");

                try (Connection direct = DriverManager.getConnection(pg.jdbcUrl(), "postgres", "");
                        Connection tunnelled = DriverManager.getConnection(
                                "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", "")) {
                    try (Statement s = tunnelled.createStatement()) {
                        s.execute("create table t (id int primary key, v text)");
                        s.execute("insert into t select i, md5(i::text) from generate_series(1, 100000) i");
                    }
                    String query = "select count(*), md5(string_agg(v, ',' order by id)) from t";
                    assertEquals(row(direct, query), row(tunnelled, query), "both see the table written through the tunnel");
                    assertEquals("100000", row(tunnelled, query).split(" ")[0]);
                }

                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), otherPort)) {
                    s.setSoTimeout(30_000);
                    assertEquals(-1, s.getInputStream().read(), "a refused tunnel closes the local connection");
                }
                String refusal = tunnel.awaitLine(l -> l.contains("refused"), 10_000);
                assertEquals("tandem: tunnel to 127.0.0.1:" + other.getLocalPort() + " refused: the role 'Tunnellers'"
                        + " may not open a tunnel to 127.0.0.1:" + other.getLocalPort(), refusal);
                assertEquals(0, unlisted.get(), "the Host made no connection to a destination it does not list");
                String events = Homes.events(tmp.resolve("host"));
                assertTrue(events.matches("(?s).*TACTTOOL[^\n]*tunnel accept [^\n]*port=" + reversePort + "[^\n]*\\(stream opened\\).*"),
                        "listening on the Host is audited: " + events);
            }
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aRoleWithoutTheTunnelPrivilegeIsRefused() throws Exception {
        try (NodeProcess host = host("Remote management only", "Remote\\ management\\ only = *:*\n")) {
            NodeProcess.Result r = NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, "tunnel", host.tcpAddress(),
                    "--local", "0:127.0.0.1:80"));
            assertEquals(7, r.status(), r.out() + r.err());
            assertEquals("tandem: your role 'Remote management only' does not allow Tunnel\n", r.err());
            assertTrue(!r.out().contains("Forwarding"), r.out());
        }
    }

    private static String row(Connection c, String query) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            assertTrue(r.next());
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                b.append(i > 1 ? " " : "").append(r.getString(i));
            }
            return b.toString();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of {@link #generated}'s bytes. */
    private static byte[] digest(long seed) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(generated(seed), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return md.digest();
    }

    /** {@link #SIZE} pseudo-random bytes, the same for the same seed, made as they are read. */
    private static InputStream generated(long seed) {
        Random random = new Random(seed);
        return new InputStream() {
            private final byte[] block = new byte[64 * 1024];
            private int at = block.length;
            private long left = SIZE;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                if (at == block.length) {
                    random.nextBytes(block);
                    at = 0;
                }
                int n = (int) Math.min(Math.min(len, block.length - at), left);
                System.arraycopy(block, at, b, off, n);
                at += n;
                left -= n;
                return n;
            }
        };
    }
}
