package org.tandemrc.auth.pam.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real accounts of this machine for tests (CI runs as root): groups and users made with {@code groupadd},
 * {@code useradd} and {@code chpasswd}, a PAM service of the test's own in {@code /etc/pam.d} (pam_unix for
 * auth and account, so the machine's other settings do not matter); all removed again on close. Every
 * name carries a random tag, so runs never meet.
 */
public final class LocalAccounts implements AutoCloseable {

    private final String tag;
    private final List<String> users = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private final Path service;

    public LocalAccounts() throws IOException, InterruptedException {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        tag = "t" + HexFormat.of().formatHex(b);
        service = Path.of("/etc/pam.d/tandem-test-" + tag);
        Files.writeString(service, "auth required pam_unix.so\naccount required pam_unix.so\n");
    }

    /** The PAM service (its file name in /etc/pam.d). */
    public String service() {
        return service.getFileName().toString();
    }

    /** A new group; returns its name. */
    public String group(String name) throws IOException, InterruptedException {
        String g = name + "-" + tag;
        run(null, "groupadd", g);
        groups.add(g);
        return g;
    }

    /** A new user with {@code password}, member of {@code groups}; returns its name. */
    public String user(String name, String password, String... groups) throws IOException, InterruptedException {
        String u = name + "-" + tag;
        List<String> cmd = new ArrayList<>(List.of("useradd", "-M", "-s", "/usr/sbin/nologin"));
        if (groups.length > 0) {
            cmd.addAll(List.of("-G", String.join(",", groups)));
        }
        cmd.add(u);
        run(null, cmd.toArray(String[]::new));
        users.add(u);
        run(u + ":" + password + "\n", "chpasswd");
        return u;
    }

    /** Locks the user's password ({@code usermod -L}). */
    public void lock(String user) throws IOException, InterruptedException {
        run(null, "usermod", "-L", user);
    }

    /** Makes the account expired since 1970 ({@code usermod -e 1}). */
    public void expire(String user) throws IOException, InterruptedException {
        run(null, "usermod", "-e", "1", user);
    }

    private static void run(String input, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        IOException first = null;
        for (String u : users) {
            try {
                run(null, "userdel", u);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        for (String g : groups) {
            try {
                run(null, "groupdel", g);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        Files.deleteIfExists(service);
        if (first != null) {
            throw first;
        }
    }
}
