package org.tandemrc.comm.webconnect.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.webconnect.manager.internal.ManagerServer;
import org.tandemrc.webconnect.relay.internal.RelayServer;
import org.tandemrc.webconnect.tls.Tls;

/** Manager and relays serving TLS 1.3 on loopback: logon, pairing, resume, refusals of bad trust and plaintext. */
class WebConnectTlsTest extends TwoWebConnectDevices {

    @TempDir
    Path dir;
    private Tls.ServerIdentity identity;

    @Override
    protected ManagerServer startManager(Deployment d) throws Exception {
        identity = Tls.server(null, null, dir.resolve("data"), List.of("127.0.0.1"));
        assertTrue(identity.generated());
        assertTrue(Files.exists(dir.resolve("data/webconnect-tls.key")));
        // generated once: a second start reads the same certificate
        Tls.ServerIdentity again = Tls.server(null, null, dir.resolve("data"), List.of("127.0.0.1"));
        assertEquals(identity.fingerprint(), again.fingerprint());
        assertTrue(!again.generated());
        return d.manager(identity);
    }

    private Map<String, String> pinned(String hostName) {
        Map<String, String> s = Deployment.settings(manager, hostName);
        s.put("trust-fingerprint", identity.fingerprint());
        return s;
    }

    @Test
    void aHostAndAGuestPairOverTlsAndTheLinkResumesWhenItsRelayDies() throws Exception {
        assertTrue(manager.address().startsWith("tls:"), manager.address());
        RelayServer r1 = deployment.relay(0, 0, identity);
        assertTrue(r1.address().startsWith("tls:"), "the relay address says it speaks TLS: " + r1.address());
        // Logon through TLS with the certificate file as trust anchor (host name 127.0.0.1 is in it).
        Transport byFile = new Transport(false, identity.certificateFile().toString(), List.of()).checked();
        try (Control c = Control.open(group, manager.address(), byFile, 5000)) {
            c.logon(Deployment.ACCOUNT, Deployment.PASSWORD.toCharArray(), "guest", 10_000);
            assertEquals(manager.id(), c.managerId());
        }
        int size = 3 << 20;
        Transfer.Sink sink = new Transfer.Sink(size);
        String name = Deployment.hostName();
        try (Endpoint e = host.listen(profile(pinned(name)), l -> sink)) {
            Link link = guest.connect(profile(pinned(null)), name, new Transfer.Source()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            byte[] data = new byte[size];
            new java.util.Random(7).nextBytes(data);
            for (int off = 0; off < size / 2; off += 64 << 10) {
                link.send(ByteBuffer.wrap(data, off, 64 << 10));
            }
            // the relay dies (no deregistration); a second TLS relay takes over
            deployment.relay(0, 0, identity);
            long before = r1.bytesRelayed();
            r1.stop(false);
            for (int off = size / 2; off < size; off += 64 << 10) {
                link.send(ByteBuffer.wrap(data, off, 64 << 10));
            }
            byte[] got = sink.done.get(60, TimeUnit.SECONDS);
            assertArrayEquals(java.security.MessageDigest.getInstance("SHA-256").digest(data), got);
            assertTrue(before > 0);
            assertTrue(deployment.relays.get(1).bytesRelayed() > 0, "the second relay carried the rest");
            link.close("done");
        }
    }

    @Test
    void anUntrustedOrWrongCertificateIsRefusedWithAClearMessage() throws Exception {
        deployment.relay(0, 0, identity);
        // system trust store: a self-signed certificate is not trusted
        Transport system = new Transport(true, null, List.of());
        IOException e = assertThrows(IOException.class, () -> Control.open(group, manager.address(), system, 5000));
        assertTrue(e.getMessage().contains("certificate is not trusted"), e.getMessage());
        // a pin of another certificate
        Tls.ServerIdentity other = Tls.server(null, null, dir.resolve("other"), List.of("127.0.0.1"));
        Map<String, String> wrongPin = Deployment.settings(manager, Deployment.hostName());
        wrongPin.put("trust-fingerprint", other.fingerprint());
        IOException h = assertThrows(IOException.class, () -> host.listen(profile(wrongPin), l -> null));
        assertTrue(h.getMessage().contains("matches no trust-fingerprint"), h.getMessage());
        // a trust file holding another certificate
        Map<String, String> wrongFile = Deployment.settings(manager, null);
        wrongFile.put("trust", other.certificateFile().toString());
        ExecutionException g = assertThrows(ExecutionException.class,
                () -> guest.connect(profile(wrongFile), "anyone", new Transfer.Source()).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
        assertTrue(g.getCause().getMessage().contains("certificate is not trusted"), g.getCause().getMessage());
        // a malformed pin is refused when the profile is read
        Map<String, String> badPin = Deployment.settings(manager, null);
        badPin.put("trust-fingerprint", "12:34");
        ExecutionException b = assertThrows(ExecutionException.class,
                () -> guest.connect(profile(badPin), "anyone", new Transfer.Source()).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS));
        assertTrue(b.getCause().getMessage().contains("is not a SHA-256 fingerprint"), b.getCause().getMessage());
    }

    @Test
    void aPlaintextClientAgainstTheTlsListenerIsRefusedCleanlyAndTheListenerServesOn() throws Exception {
        String plain = manager.address().substring("tls:".length());
        try (Control c = Control.open(group, "tcp:" + plain, Transport.PLAIN, 5000)) {
            IOException e = assertThrows(IOException.class,
                    () -> c.logon(Deployment.ACCOUNT, Deployment.PASSWORD.toCharArray(), "guest", 10_000));
            assertTrue(e.getMessage().contains("closed the connection") && e.getMessage().contains("TLS"), e.getMessage());
        }
        // raw garbage, too
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", Integer.parseInt(plain.substring(plain.lastIndexOf(':') + 1)))) {
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.setSoTimeout(10_000);
            int r = s.getInputStream().read();
            assertTrue(r == -1 || r == 0x15, "closed or a TLS alert, got " + r);
        }
        // a TLS client against a plaintext relay-less manager is refused with a TLS message
        ManagerServer plainManager = deployment.manager();
        IOException t = assertThrows(IOException.class,
                () -> Control.open(group, "tls:" + plainManager.address(), new Transport(true, null, List.of(identity.fingerprint())), 5000));
        assertTrue(t.getMessage().startsWith("TLS with the Connection Manager"), t.getMessage());
        // the TLS listener still serves
        Transport pin = new Transport(false, null, List.of(identity.fingerprint()));
        try (Control c = Control.open(group, manager.address(), pin, 5000)) {
            c.logon(Deployment.ACCOUNT, Deployment.PASSWORD.toCharArray(), "guest", 10_000);
        }
    }
}
