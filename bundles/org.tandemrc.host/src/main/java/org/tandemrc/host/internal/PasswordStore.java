package org.tandemrc.host.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tandemrc.protocol.logon.VerifierFile;
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

    private static final VerifierFile.Format<Entry> FORMAT = new VerifierFile.Format<>(3, "ID, role and verifier",
            List.of("# Tandem Guest passwords as SRP verifiers (no password is stored): ID, role, verifier.",
                    "# Managed by 'tandem admin access ...' and 'tandem host --password-file'. ID * is the shared password."),
            f -> new Entry(f[0], f[1], PasswordVerifier.decode(f[2])),
            e -> List.of(e.id(), e.role(), e.verifier().encode()));

    private final VerifierFile<Entry> file;

    PasswordStore(Path file) {
        this.file = new VerifierFile<>(file, FORMAT);
    }

    Path file() {
        return file.file();
    }

    Optional<Entry> find(String id) throws IOException {
        return file.find(id);
    }

    Map<String, Entry> read() throws IOException {
        return file.read();
    }

    void put(Entry entry) throws IOException {
        file.put(entry);
    }

    boolean remove(String id) throws IOException {
        return file.remove(id);
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
