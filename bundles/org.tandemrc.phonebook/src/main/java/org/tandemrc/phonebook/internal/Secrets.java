package org.tandemrc.phonebook.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.tandemrc.api.phonebook.PhonebookException;

/**
 * Passwords encrypted with AES-256-GCM, written {@code ENCRYPTED:} and hex digits as the reference's
 * files show them. Two kinds of key: the phonebook's own random key (records at rest), and a key
 * derived from a passphrase with PBKDF2-HMAC-SHA256 (exported files, so they can be read on another
 * computer). A passphrase-sealed value carries its salt: {@code salt(16) nonce(12) ciphertext tag(16)};
 * a value under the phonebook's key has no salt. The field's name is authenticated with it, so a
 * value cannot be moved to another field unnoticed.
 */
final class Secrets {

    static final String PREFIX = "ENCRYPTED:";
    static final int PBKDF2_ITERATIONS = 310_000;
    private static final int SALT = 16;
    private static final int NONCE = 12;
    private static final int TAG = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The phonebook's key, or null under a passphrase. */
    private final byte[] localKey;
    /** Under a passphrase: the salt of what this seals, made with the first seal. */
    private byte[] salt;
    /** Passphrase keys already derived, by salt (hex). */
    private final Map<String, byte[]> derived = new ConcurrentHashMap<>();
    private final char[] passphrase;

    private Secrets(byte[] localKey, char[] passphrase) {
        this.localKey = localKey;
        this.passphrase = passphrase;
    }

    /** Under the phonebook's own key. */
    static Secrets local(byte[] key) {
        return new Secrets(key.clone(), null);
    }

    /**
     * Under a passphrase: everything this seals shares one fresh salt (one key derivation per file);
     * it opens values of any salt.
     */
    static Secrets passphrase(char[] passphrase) {
        return new Secrets(null, passphrase.clone());
    }

    static byte[] newKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    synchronized String seal(String field, String plain) {
        if (plain.isEmpty()) {
            return "";
        }
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] text = plain.getBytes(StandardCharsets.UTF_8);
        byte[] key = localKey;
        if (key == null) {
            if (salt == null) {
                salt = new byte[SALT];
                RANDOM.nextBytes(salt);
            }
            key = keyFor(salt);
        }
        try {
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce, field);
            byte[] sealed = c.doFinal(text);
            ByteBuffer out = ByteBuffer.allocate((localKey == null ? SALT : 0) + NONCE + sealed.length);
            if (localKey == null) {
                out.put(salt);
            }
            out.put(nonce).put(sealed);
            return PREFIX + HexFormat.of().formatHex(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /** Whether a field's value is sealed rather than plain. */
    static boolean isSealed(String value) {
        return value.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    String open(String field, String value) throws PhonebookException {
        if (!isSealed(value)) {
            return value;
        }
        byte[] all;
        try {
            all = HexFormat.of().parseHex(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new PhonebookException("the " + field + " is not ENCRYPTED: and hex digits");
        }
        int head = (localKey == null ? SALT : 0) + NONCE;
        if (all.length < head + TAG) {
            throw new PhonebookException("the " + field + " is too short to be an encrypted password");
        }
        byte[] k = localKey == null ? keyFor(Arrays.copyOfRange(all, 0, SALT)) : localKey;
        try {
            Cipher c = cipher(Cipher.DECRYPT_MODE, k, Arrays.copyOfRange(all, head - NONCE, head), field);
            byte[] plain = c.doFinal(all, head, all.length - head);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new PhonebookException("the " + field + " does not open with " + (localKey != null
                    ? "this phonebook's key (it was encrypted elsewhere)" : "this passphrase"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private byte[] keyFor(byte[] s) {
        return derived.computeIfAbsent(HexFormat.of().formatHex(s), x -> derive(passphrase, s));
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String field) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG * 8, nonce));
        c.updateAAD(field.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    private static byte[] derive(char[] passphrase, byte[] salt) {
        if (passphrase == null || passphrase.length == 0) {
            throw new IllegalArgumentException("an empty passphrase");
        }
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, PBKDF2_ITERATIONS, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** The passphrase's characters, for a check that one was given. */
    static boolean given(char[] passphrase) {
        return passphrase != null && passphrase.length > 0 && !CharBuffer.wrap(passphrase).toString().isBlank();
    }
}
