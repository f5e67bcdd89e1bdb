package org.tandemrc.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code tandem} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Before anything touches java.util.logging: keep the log open until the node has stopped.
        System.setProperty("java.util.logging.manager", NodeLog.Manager.class.getName());
        int status = run(args, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** Parses and checks the whole command line (see {@link Cli}), then runs it; returns the exit status. */
    static int run(String[] argv, PrintStream out, PrintStream err) {
        return Cli.commandLine(out, err, argv).execute(argv);
    }

    /**
     * The password of the all-in-one node's own Host, made once at random and kept owner-only in
     * {@code data/console/local-host-password}: the console logs on to "This computer" with it.
     */
    static Path localHostPassword(NodeHome home) throws IOException {
        Path file = home.data().resolve("console").resolve("local-host-password");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        byte[] b = new byte[18];
        new java.security.SecureRandom().nextBytes(b);
        Path tmp = file.resolveSibling("local-host-password.tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** The distribution folder, from -Dtandem.dist set by bin/tandem. */
    static Path dist() throws IOException {
        String d = System.getProperty("tandem.dist");
        if (d == null) {
            throw new IOException("the tandem.dist property is not set; start Tandem with bin/tandem");
        }
        Path dist = Path.of(d).toAbsolutePath().normalize();
        if (!Files.isDirectory(dist.resolve("system")) || !Files.isDirectory(dist.resolve("features"))) {
            throw new IOException(dist + " is not a Tandem distribution (system/ or features/ is missing)");
        }
        return dist;
    }

    static String version() {
        try {
            return Files.readString(dist().resolve("VERSION")).trim();
        } catch (IOException e) {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "unknown" : v;
        }
    }
}
