package org.tandemrc.support.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {

    @TempDir
    Path dir;

    private Certificates.Identity generated() throws Exception {
        return Certificates.load(null, null, "--cert", "--key", dir.resolve("data/s.crt"), dir.resolve("data/s.key"),
                List.of("console.example", "192.0.2.7", "0.0.0.0"));
    }

    @Test
    void aCertificateIsMadeOnceForItsNamesWithAnOwnerOnlyKey() throws Exception {
        Certificates.Identity first = generated();
        assertTrue(first.generated());
        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(dir.resolve("data/s.key")));
        X509Certificate c = first.certificate();
        c.checkValidity();
        List<String> names = c.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertTrue(names.containsAll(List.of("console.example", "192.0.2.7", "localhost", "127.0.0.1")), names.toString());
        assertFalse(names.contains("0.0.0.0"), names.toString());
        // The key belongs to the certificate.
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(first.key());
        s.update(new byte[] {1, 2, 3});
        byte[] signature = s.sign();
        s.initVerify(c.getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(signature));

        Certificates.Identity again = generated();
        assertFalse(again.generated());
        assertEquals(first.fingerprint(), again.fingerprint());
        assertEquals(64, first.fingerprint().length());
        assertEquals(first.fingerprint().toUpperCase(java.util.Locale.ROOT),
                Certificates.colons(first.fingerprint()).replace(":", ""));
        assertEquals(95, Certificates.colons(first.fingerprint()).length());
    }

    @Test
    void aGivenPairIsServedAsItIs() throws Exception {
        Certificates.Identity made = generated();
        Certificates.Identity given = Certificates.load(dir.resolve("data/s.crt").toString(),
                dir.resolve("data/s.key").toString(), "--cert", "--key", dir.resolve("unused.crt"),
                dir.resolve("unused.key"), List.of());
        assertFalse(given.generated());
        assertEquals(made.fingerprint(), given.fingerprint());
        assertFalse(Files.exists(dir.resolve("unused.crt")));
    }

    @Test
    void aBadPairIsRefusedSayingWhatIsWrongWithWhichFile() throws Exception {
        generated();
        String crt = dir.resolve("data/s.crt").toString();
        String key = dir.resolve("data/s.key").toString();
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "this is not PEM\n");
        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");
        Path encrypted = dir.resolve("encrypted.pem");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        assertEquals("--cert and --key go together: set both or neither", refused(crt, null).getMessage());
        assertEquals("no certificate (-----BEGIN CERTIFICATE-----) in " + garbage, refused(garbage.toString(), key).getMessage());
        String why = refused(broken.toString(), key).getMessage();
        assertTrue(why.startsWith("the certificate in " + broken + " is broken: "), why);
        assertEquals("no private key (-----BEGIN PRIVATE KEY-----) in " + garbage, refused(crt, garbage.toString()).getMessage());
        assertTrue(refused(crt, encrypted.toString()).getMessage().contains("is encrypted"));
        Certificates.Identity other = Certificates.load(null, null, "--cert", "--key", dir.resolve("o.crt"),
                dir.resolve("o.key"), List.of());
        assertEquals("the key in " + dir.resolve("o.key") + " does not belong to the certificate in " + crt,
                refused(crt, dir.resolve("o.key").toString()).getMessage());
        assertTrue(other.generated());
        assertEquals("cannot read " + dir.resolve("missing.pem"), refused(dir.resolve("missing.pem").toString(), key).getMessage());
    }

    private IllegalArgumentException refused(String certificate, String key) {
        return assertThrows(IllegalArgumentException.class, () -> Certificates.load(certificate, key, "--cert", "--key",
                dir.resolve("other.crt"), dir.resolve("other.key"), List.of()));
    }
}
