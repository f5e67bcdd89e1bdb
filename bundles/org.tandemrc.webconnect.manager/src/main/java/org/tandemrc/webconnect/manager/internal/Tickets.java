package org.tandemrc.webconnect.manager.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.webconnect.protocol.Fields;
import org.tandemrc.webconnect.protocol.Resumption;
import org.tandemrc.webconnect.store.Store;

/**
 * Hosts' resumption tickets (see {@link Resumption}): sealed with AES-256-GCM under a key kept in the
 * database ({@code wc_secret} row {@value #KEY_NAME}), made by the first manager that needs it and read by
 * every other, so a ticket outlives a manager's restart and is good at every manager of the database.
 * A ticket is {@code u8 1 | 12-byte IV | ciphertext+tag} of {@code str account | str hostName | u64 expires |
 * bytes verifierDigest | bytes secret}; the AAD names its purpose. Deleting the key's row and restarting the
 * managers revokes every ticket at once.
 */
final class Tickets {

    static final String KEY_NAME = "resumption-ticket-key";
    private static final byte[] AAD = "tandem webconnect resumption ticket v1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV = 12;

    /** What an opened ticket says. */
    record Ticket(String account, String hostName, long expiresAt, byte[] verifierDigest, byte[] secret) {
    }

    private final SecretKeySpec key;
    private final SecureRandom random;

    private Tickets(byte[] key, SecureRandom random) {
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
    }

    /** The database's ticket key, made now if it has none. */
    static Tickets load(Store store, SecureRandom random) throws SQLException {
        String value = store.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("select content from wc_secret where name=?")) {
                s.setString(1, KEY_NAME);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return r.getString(1);
                    }
                }
            }
            byte[] k = new byte[32];
            random.nextBytes(k);
            String v = Base64.getEncoder().encodeToString(k);
            Store.update(c, "insert into wc_secret (name, content, created) values (?,?,?)", KEY_NAME, v,
                    System.currentTimeMillis());
            return v;
        });
        byte[] k = Base64.getDecoder().decode(value);
        if (k.length != 32) {
            throw new SQLException("wc_secret " + KEY_NAME + " is not a 256-bit key");
        }
        return new Tickets(k, random);
    }

    /** A digest of the account's verifier: a new password (new salt and verifier) or a removed account changes it. */
    static byte[] digest(PasswordVerifier verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.encode().getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(d, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] seal(Ticket t) {
        WireWriter w = Fields.string(Fields.string(new WireWriter(), t.account()), t.hostName()).i64(t.expiresAt());
        byte[] plain = Fields.bytes(Fields.bytes(w, t.verifierDigest()), t.secret()).toByteArray();
        byte[] iv = new byte[IV];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(AAD);
            byte[] sealed = c.doFinal(plain);
            return ByteBuffer.allocate(1 + IV + sealed.length).put((byte) 1).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The ticket, or null when it is not one these managers sealed (forged, changed, another database's). */
    Ticket open(byte[] ticket) {
        if (ticket.length < 1 + IV + 16 || ticket.length > Resumption.MAX_TICKET || ticket[0] != 1) {
            return null;
        }
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, ticket, 1, IV));
            c.updateAAD(AAD);
            plain = c.doFinal(ticket, 1 + IV, ticket.length - 1 - IV);
        } catch (GeneralSecurityException e) {
            return null;
        }
        try {
            WireReader r = new WireReader(ByteBuffer.wrap(plain));
            Ticket t = new Ticket(Fields.string(r, "account"), Fields.string(r, "host name"), r.i64("expires"),
                    Fields.bytes(r, "verifier digest"), Fields.bytes(r, "secret"));
            return t.secret().length == Resumption.SIZE ? t : null;
        } catch (ProtocolException e) {
            return null; // sealed by us, so not expected: treated as any bad ticket
        }
    }
}
