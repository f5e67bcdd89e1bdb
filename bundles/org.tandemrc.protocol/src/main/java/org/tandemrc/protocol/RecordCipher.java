package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of the record layer: AES-256-GCM (the JDK's, hardware-accelerated) with the record's
 * sequence number as nonce. Records must arrive in order, each exactly once: a replayed, reordered,
 * dropped or altered record fails authentication. The key is replaced by a one-way derivation of
 * itself every {@value #REKEY_RECORDS} records and every {@value #REKEY_BYTES} bytes, on both sides
 * at the same record, so no message is needed.
 */
final class RecordCipher {

    static final int TAG_BYTES = 16;
    static final long REKEY_RECORDS = 1L << 20;
    static final long REKEY_BYTES = 1L << 30;

    private final Cipher cipher;
    private final int mode;
    private byte[] key;
    /** The key as the JDK takes it, made again only when the key changes. */
    private SecretKeySpec keySpec;
    private final byte[] nonce = new byte[12];
    /** Opening only: where a record that is not in a heap array is copied before it is decrypted. */
    private byte[] scratch = new byte[0];
    /** Opening only: the last record's plaintext, overwritten by the next (see {@link #open}). */
    private byte[] plain = new byte[0];
    private long sequence;
    private long recordsSinceKey;
    private long bytesSinceKey;
    private long rekeys;

    private final long rekeyRecords;
    private final long rekeyBytes;

    RecordCipher(byte[] key, boolean encrypt) {
        this(key, encrypt, REKEY_RECORDS, REKEY_BYTES);
    }

    RecordCipher(byte[] key, boolean encrypt, long rekeyRecords, long rekeyBytes) {
        this.rekeyRecords = rekeyRecords;
        this.rekeyBytes = rekeyBytes;
        this.key = key.clone();
        this.keySpec = new SecretKeySpec(this.key, "AES");
        this.mode = encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        }
    }

    /** Encrypts one record. */
    byte[] seal(byte[] plaintext) {
        try {
            init();
            byte[] out = cipher.doFinal(plaintext);
            advance(plaintext.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * Encrypts one record whose plaintext is {@code header} followed by {@code body}, straight into the
     * record's array: the body is read once, by the cipher, and not first copied behind the header.
     */
    byte[] seal(byte[] header, ByteBuffer body) {
        int n = body.remaining();
        byte[] out = new byte[header.length + n + TAG_BYTES];
        try {
            init();
            int pos = cipher.update(header, 0, header.length, out, 0);
            if (body.hasArray()) {
                cipher.doFinal(body.array(), body.arrayOffset() + body.position(), n, out, pos);
            } else {
                cipher.doFinal(body.duplicate(), ByteBuffer.wrap(out, pos, out.length - pos));
            }
            advance(header.length + n);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * Decrypts one record, or fails when it is not the next authentic record. The plaintext is written
     * into an array this cipher keeps and reuses: the returned buffer is valid only until the next call,
     * so a reader copies what it keeps (a fresh array per record was a third of what a busy receiver
     * allocated, and each one zeroed before use). A record outside the heap (a direct buffer from the
     * socket) is copied into a reused array first: the JDK's GCM decrypts array to array at about twice
     * the speed it decrypts from a direct buffer.
     */
    ByteBuffer open(ByteBuffer record) throws ProtocolException {
        int size = record.remaining();
        if (size < TAG_BYTES) {
            throw new ProtocolException("record shorter than its authentication tag");
        }
        try {
            init();
            byte[] in;
            int offset;
            if (record.hasArray()) {
                in = record.array();
                offset = record.arrayOffset() + record.position();
            } else {
                if (scratch.length < size) {
                    scratch = new byte[size];
                }
                record.duplicate().get(scratch, 0, size);
                in = scratch;
                offset = 0;
            }
            if (plain.length < size - TAG_BYTES) {
                plain = new byte[size - TAG_BYTES];
            }
            int n = cipher.doFinal(in, offset, size, plain, 0);
            advance(n);
            return ByteBuffer.wrap(plain, 0, n);
        } catch (AEADBadTagException e) {
            throw new ProtocolException("record " + sequence + " failed authentication (forged, replayed or reordered)");
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("record " + sequence + " could not be decrypted", e);
        }
    }

    private void init() throws GeneralSecurityException {
        ByteBuffer.wrap(nonce, 4, 8).putLong(sequence);
        cipher.init(mode, keySpec, new GCMParameterSpec(TAG_BYTES * 8, nonce));
    }

    private void advance(int bytes) {
        sequence++;
        recordsSinceKey++;
        bytesSinceKey += bytes;
        if (recordsSinceKey >= rekeyRecords || bytesSinceKey >= rekeyBytes) {
            key = Kdf.expand(key, "tandem v1 rekey", 32);
            keySpec = new SecretKeySpec(key, "AES");
            recordsSinceKey = 0;
            bytesSinceKey = 0;
            rekeys++;
        }
    }

    long rekeys() {
        return rekeys;
    }

    long sequence() {
        return sequence;
    }

    /** HKDF-SHA256 (RFC 5869). */
    static final class Kdf {
        private Kdf() {
        }

        static byte[] extract(byte[] salt, byte[] ikm) {
            return hmac(salt, ikm);
        }

        static byte[] expand(byte[] prk, String info, int length) {
            byte[] infoBytes = info.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int pos = 0;
            for (int i = 1; pos < length; i++) {
                byte[] input = new byte[t.length + infoBytes.length + 1];
                System.arraycopy(t, 0, input, 0, t.length);
                System.arraycopy(infoBytes, 0, input, t.length, infoBytes.length);
                input[input.length - 1] = (byte) i;
                t = hmac(prk, input);
                int n = Math.min(t.length, length - pos);
                System.arraycopy(t, 0, out, pos, n);
                pos += n;
            }
            return out;
        }

        static byte[] hmac(byte[] key, byte[] data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
                return mac.doFinal(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
