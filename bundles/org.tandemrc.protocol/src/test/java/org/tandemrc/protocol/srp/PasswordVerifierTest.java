package org.tandemrc.protocol.srp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.crypto.agreement.srp.SRP6StandardGroups;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

class PasswordVerifierTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BigInteger N = SRP6StandardGroups.rfc5054_3072.getN();
    private static final String SALT16 = Base64.getEncoder().encodeToString(new byte[16]);

    private static PasswordVerifier small() {
        return PasswordVerifier.create("alice", "hunter2hunter2".toCharArray(), RANDOM, 1024, 1, 1);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static String message(String text) {
        return assertThrows(IllegalArgumentException.class, () -> PasswordVerifier.decode(text)).getMessage();
    }

    @Test
    void encodeDecodeRoundTrip() {
        PasswordVerifier v = small();
        String text = v.encode();
        assertTrue(text.matches("srp6a-argon2id\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+"), text);
        assertFalse(text.contains("\n"));
        PasswordVerifier back = PasswordVerifier.decode(text);
        assertEquals(v, back);
        assertEquals(v.hashCode(), back.hashCode());
        assertEquals(text, back.encode());
        assertNotEquals(v, small());
    }

    @Test
    void ofChecksBounds() {
        PasswordVerifier v = small();
        assertEquals(v, PasswordVerifier.of(1024, 1, 1, v.salt(), v.verifier()));
        assertThrows(IllegalArgumentException.class, () -> PasswordVerifier.of(512, 1, 1, v.salt(), v.verifier()));
        assertThrows(IllegalArgumentException.class, () -> PasswordVerifier.of(1024, 1, 1, v.salt(), N));
        assertThrows(IllegalArgumentException.class,
                () -> PasswordVerifier.create("a", "p".toCharArray(), RANDOM, 1024, 0, 1));
    }

    @Test
    void saltsDifferAndSamePasswordGivesDifferentVerifiers() {
        PasswordVerifier a = small();
        PasswordVerifier b = small();
        assertNotEquals(a.verifier(), b.verifier());
    }

    @Test
    void toStringOmitsVerifier() {
        PasswordVerifier v = small();
        String s = v.toString();
        assertFalse(s.contains(v.verifier().toString()));
        assertFalse(s.contains(v.verifier().toString(16)));
        assertFalse(s.contains(b64(BigIntegers.asUnsignedByteArray(v.verifier()))));
        assertTrue(s.contains("m=1024"));
    }

    @Test
    void encodedVerifierDoesNotContainPassword() {
        String password = "Sup3rSecretPassw0rd";
        String text = PasswordVerifier.create("alice", password.toCharArray(), RANDOM, 1024, 1, 1).encode();
        assertFalse(text.contains(password));
        assertFalse(text.contains(b64(password.getBytes(StandardCharsets.UTF_8))));
        assertFalse(text.toLowerCase().contains(password.toLowerCase()));
    }

    @Test
    void decodeRejectsMalformed() {
        String good = small().encode();
        String[] parts = good.split("\\$");
        assertTrue(message(null).contains("missing"));
        assertTrue(message("").contains("4 '$'-separated fields"));
        assertTrue(message("srp6a-argon2id$m=1024,t=1,p=1$" + SALT16).contains("4 '$'-separated fields"));
        assertTrue(message(good + "$").contains("4 '$'-separated fields"));
        assertTrue(message(good.replace("srp6a-argon2id", "srp6a-argon2i")).contains("unknown verifier scheme"));
        assertTrue(message(good.replace("m=1024,t=1,p=1", "m=1024,t=1")).contains("parameters must be"));
        assertTrue(message(good.replace("m=1024,t=1,p=1", "t=1,m=1024,p=1")).contains("expected parameter m="));
        assertTrue(message(good.replace("m=1024", "m=")).contains("decimal number"));
        assertTrue(message(good.replace("m=1024", "m=-1024")).contains("decimal number"));
        assertTrue(message(good.replace("m=1024", "m=+1024")).contains("decimal number"));
        assertTrue(message(good.replace("m=1024", "m=01024")).contains("leading zeros"));
        assertTrue(message(good.replace("m=1024", "m=99999999999999999999")).contains("1 to 10 digits"));
        assertTrue(message(parts[0] + "$" + parts[1] + "$" + "!!!!" + "$" + parts[3]).contains("salt is not valid base64"));
        assertTrue(message(parts[0] + "$" + parts[1] + "$" + parts[2] + " $" + parts[3]).contains("salt is not valid base64"));
        assertTrue(message(parts[0] + "$" + parts[1] + "$" + parts[2].replace("=", "") + "$" + parts[3])
                .contains("not canonical"));
        assertTrue(message(parts[0] + "$" + parts[1] + "$$" + parts[3]).contains("salt is empty"));
        assertTrue(message(good + "A".repeat(2000)).contains("longer than"));
        assertTrue(message(parts[0] + "$" + parts[1] + "$" + parts[2] + "$" + b64(new byte[] {0, 5}))
                .contains("leading zero"));
    }

    @Test
    void decodeRejectsOutOfRange() {
        String v = b64(new byte[] {5});
        String prefix = "srp6a-argon2id$";
        assertEquals("memory (m, KiB) 2147483648 out of range 1024..1048576",
                message(prefix + "m=2147483648,t=1,p=1$" + SALT16 + "$" + v));
        assertTrue(message(prefix + "m=1023,t=1,p=1$" + SALT16 + "$" + v).contains("memory (m, KiB) 1023 out of range"));
        assertTrue(message(prefix + "m=1048577,t=1,p=1$" + SALT16 + "$" + v).contains("memory"));
        assertEquals("iterations (t) 0 out of range 1..10", message(prefix + "m=1024,t=0,p=1$" + SALT16 + "$" + v));
        assertTrue(message(prefix + "m=1024,t=11,p=1$" + SALT16 + "$" + v).contains("iterations"));
        assertTrue(message(prefix + "m=1024,t=1,p=0$" + SALT16 + "$" + v).contains("parallelism (p) 0"));
        assertTrue(message(prefix + "m=1024,t=1,p=5$" + SALT16 + "$" + v).contains("parallelism (p) 5"));
        assertEquals("salt length (bytes) 15 out of range 16..64",
                message(prefix + "m=1024,t=1,p=1$" + b64(new byte[15]) + "$" + v));
        assertTrue(message(prefix + "m=1024,t=1,p=1$" + b64(new byte[65]) + "$" + v).contains("salt length (bytes) 65 out of range"));
        assertTrue(message(prefix + "m=1024,t=1,p=1$" + b64(new byte[67]) + "$" + v).contains("salt too long"));
        assertTrue(message(prefix + "m=1024,t=1,p=1$" + SALT16 + "$" + b64(BigIntegers.asUnsignedByteArray(N)))
                .contains("0 < v < N"));
        assertTrue(message(prefix + "m=1024,t=1,p=1$" + SALT16 + "$"
                + b64(BigIntegers.asUnsignedByteArray(N.add(BigInteger.ONE)))).contains("0 < v < N"));
        byte[] tooLong = new byte[385];
        tooLong[0] = 1;
        assertTrue(message(prefix + "m=1024,t=1,p=1$" + SALT16 + "$" + b64(tooLong)).contains("verifier"));
        assertTrue(message(prefix + "m=1024,t=1,p=1$" + SALT16 + "$" + b64(new byte[] {0})).contains("verifier"));
        // smallest valid values are accepted
        PasswordVerifier ok = PasswordVerifier.decode(prefix + "m=1024,t=1,p=1$" + SALT16 + "$" + v);
        assertEquals(BigInteger.valueOf(5), ok.verifier());
    }
}
