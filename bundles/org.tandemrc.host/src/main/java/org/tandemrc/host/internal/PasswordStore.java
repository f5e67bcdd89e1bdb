package org.tandemrc.host.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tandemrc.support.password.PasswordFile;
import org.tandemrc.protocol.srp.PasswordVerifier;

/**
 * The Host's Guest passwords, as SRP verifiers only, in {@code etc/guest-passwords} (owner-only):
 * one line per Guest ID, {@code ID<TAB>ROLE<TAB>VERIFIER}; the shared password has the ID
 * {@value #SHARED}. Read afresh for every logon, so a change applies at once.
 */
final class PasswordStore {

    /** The ID of the shared password, and the SRP identity both sides use with it. */
    static final String SHARED = "*";
    /** The ID of the maintenance password, which only local administration uses. */
    static final String MAINTENANCE = "!maintenance";

    /** One Guest's entry. */
    record Entry(String id, String role, PasswordVerifier verifier) {
    }

    private final Path file;

    PasswordStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    synchronized Optional<Entry> find(String id) throws IOException {
        return Optional.ofNullable(read().get(id));
    }

    synchronized Map<String, Entry> read() throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new IOException(file + " line " + n + ": expected ID, role and verifier separated by tabs");
            }
            try {
                entries.put(f[0], new Entry(f[0], f[1], PasswordVerifier.decode(f[2])));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + n + ": " + e.getMessage());
            }
        }
        return entries;
    }

    synchronized void put(Entry entry) throws IOException {
        Map<String, Entry> entries = read();
        entries.put(entry.id(), entry);
        write(entries);
    }

    synchronized boolean remove(String id) throws IOException {
        Map<String, Entry> entries = read();
        boolean removed = entries.remove(id) != null;
        if (removed) {
            write(entries);
        }
        return removed;
    }

    private void write(Map<String, Entry> entries) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# Tandem Guest passwords as SRP verifiers (no password is stored): ID, role, verifier.");
        lines.add("# Managed by 'tandem admin access ...' and 'tandem host --password-file'. ID * is the shared password.");
        for (Entry e : entries.values()) {
            lines.add(e.id() + "\t" + e.role() + "\t" + e.verifier().encode());
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Whether a password matches an entry's verifier: a whole SRP exchange in this process, so the
     * check uses exactly the code a logon does, and nothing but the verifier is stored.
     */
    static boolean matches(Entry entry, char[] password) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        org.tandemrc.protocol.srp.SrpServer server = new org.tandemrc.protocol.srp.SrpServer(entry.id(),
                entry.verifier(), random);
        org.tandemrc.protocol.srp.SrpClient client = new org.tandemrc.protocol.srp.SrpClient(entry.id(), password,
                random);
        byte[] binding = new byte[32];
        random.nextBytes(binding);
        try {
            byte[] proof = server.verify(client.respond(server.challenge(), binding), binding);
            client.verifyServer(proof);
            return true;
        } catch (org.tandemrc.protocol.srp.AuthenticationFailed e) {
            return false;
        } finally {
            client.clear();
        }
    }

    /** Kept for {@code GuestAccess}, whose logon code another change rewrites: see {@link PasswordFile}. */
    static char[] readPasswordFile(Path path) throws IOException {
        return PasswordFile.read(path);
    }
}
