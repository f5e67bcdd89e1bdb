package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tandemrc.support.tls.Certificates;

class ConsoleTlsTest {

    @TempDir
    Path console;

    @Test
    void jettyGetsAnOwnerOnlyKeyStoreOfTheCertificateWithAFreshPasswordEachStart() throws Exception {
        Map<String, String> first = ConsoleTls.options(console, "console.example", "16580", null, null);
        assertEquals("false", first.get("org.apache.felix.http.enable"));
        assertEquals("true", first.get("org.apache.felix.https.enable"));
        assertEquals("16580", first.get("org.osgi.service.http.port.secure"));
        Path store = Path.of(first.get("org.apache.felix.https.keystore"));
        for (Path owned : List.of(store, console.resolve(ConsoleTls.KEY))) {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(owned), owned.toString());
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, first.get("org.apache.felix.https.keystore.password").toCharArray());
        }
        X509Certificate served = (X509Certificate) ks.getCertificate("console");
        assertEquals(Certificates.colons(Certificates.fingerprint(served)), first.get(ConsoleTls.FINGERPRINT));
        assertTrue(ks.isKeyEntry("console"));
        assertEquals(console.resolve(ConsoleTls.CERTIFICATE).toAbsolutePath().toString(), first.get(ConsoleTls.CERTIFICATE_FILE));
        List<String> names = List.of(first.get(ConsoleTls.NAMES).split(","));
        assertTrue(names.containsAll(List.of("console.example", "localhost", "127.0.0.1")), names.toString());

        Map<String, String> second = ConsoleTls.options(console, "console.example", "16580", null, null);
        assertEquals(first.get(ConsoleTls.FINGERPRINT), second.get(ConsoleTls.FINGERPRINT), "the certificate is kept");
        assertNotEquals(first.get("org.apache.felix.https.keystore.password"),
                second.get("org.apache.felix.https.keystore.password"));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        Path other = Files.createDirectories(console.resolve("other"));
        ConsoleTls.options(console, "127.0.0.1", "16580", null, null);
        ConsoleTls.options(other, "127.0.0.1", "16580", null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConsoleTls.options(console,
                "127.0.0.1", "16580", console.resolve(ConsoleTls.CERTIFICATE), other.resolve(ConsoleTls.KEY)));
        assertEquals("the key in " + other.resolve(ConsoleTls.KEY) + " does not belong to the certificate in "
                + console.resolve(ConsoleTls.CERTIFICATE), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "::1, true", "localhost, true", "0.0.0.0, false", "192.0.2.1, false",
        "no-such-host.invalid, false"})
    void onlyLoopbackNamesCountAsThisMachineAlone(String host, boolean loopback) {
        assertEquals(loopback, NodeCommands.loopback(host), host);
    }
}
