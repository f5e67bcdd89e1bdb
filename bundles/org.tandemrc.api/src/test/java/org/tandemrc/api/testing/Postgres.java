package org.tandemrc.api.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server for tests, from Debian's binaries ({@code .ci/run} installs the postgresql
 * package): a new cluster in a temporary folder, run as the {@code postgres} system user (the server
 * refuses root), on one address and port, optionally inside a network namespace; stopped and deleted by
 * {@link #close()}. Trust authentication for the {@code postgres} user: the server is the test's own.
 */
public final class Postgres implements AutoCloseable {

    private final Path dir;
    private final Path bin;
    private final String netns;
    /** The address the server listens on. */
    public final String address;
    /** Its port. */
    public final int port;

    private Postgres(Path dir, Path bin, String netns, String address, int port) {
        this.dir = dir;
        this.bin = bin;
        this.netns = netns;
        this.address = address;
        this.port = port;
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    public static Postgres start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return start(null, "127.0.0.1", port);
    }

    /** Starts a server listening on {@code address:port}, inside the network namespace {@code netns} unless null. */
    public static Postgres start(String netns, String address, int port) throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("tandem-pg");
        Postgres pg = new Postgres(dir, bin, netns, address, port);
        boolean ok = false;
        try {
            pg.run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8"), true);
            // Clients come from the listening address's own network (a namespace of the test's): trust them.
            Files.writeString(dir.resolve("data/pg_hba.conf"), "local all all trust\nhost all all all trust\n");
            pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
                    "-l", dir.resolve("server.log").toString(), "-o",
                    "-p " + port + " -k " + dir + " -c listen_addresses=" + address, "start"), true);
            ok = true;
            return pg;
        } finally {
            if (!ok) {
                pg.delete();
            }
        }
    }

    /** The JDBC URL of the {@code postgres} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + address + ":" + port + "/postgres";
    }

    /** The newest installed PostgreSQL's bin folder. */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (var versions = Files.list(root)) {
                Path best = versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                        .max((a, b) -> Integer.compare(version(a), version(b))).orElse(null);
                if (best != null) {
                    return best.resolve("bin");
                }
            }
        }
        throw new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it");
    }

    private static int version(Path p) {
        try {
            return Integer.parseInt(p.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>();
        if (netns != null) {
            c.addAll(List.of("ip", "netns", "exec", netns));
        }
        if (asPostgres) {
            c.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        c.addAll(command);
        Path log = dir.resolve("command.log");
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", c));
        }
        if (p.exitValue() != 0) {
            String server = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
            throw new IOException(String.join(" ", c) + " failed: " + Files.readString(log) + server);
        }
    }

    private void delete() throws IOException, InterruptedException {
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "stop"), true);
        } finally {
            delete();
        }
    }
}
