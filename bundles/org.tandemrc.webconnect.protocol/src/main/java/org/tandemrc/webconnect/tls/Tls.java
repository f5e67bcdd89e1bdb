package org.tandemrc.webconnect.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.tandemrc.support.tls.Certificates;

/**
 * TLS for WebConnect: TLS 1.3 only, the JDK's SSLEngine (no native library). Servers present a
 * certificate from PEM files or one generated once ({@link Certificates}); clients trust a PEM file,
 * SHA-256 pins, or the system trust store.
 */
public final class Tls {

    /** The only protocol offered or accepted. */
    public static final String PROTOCOL = "TLSv1.3";

    private Tls() {
    }

    /** A server's TLS context and what to tell operators about its certificate. */
    public record ServerIdentity(SslContext context, X509Certificate certificate, String fingerprint, Path certificateFile,
            boolean generated) {
        public SslHandler handler(ByteBufAllocator alloc) {
            SslHandler h = context.newHandler(alloc);
            h.setHandshakeTimeoutMillis(15_000);
            return h;
        }

        /** Adds TLS in front of {@code ch}'s pipeline, logging failed handshakes (plaintext clients, bad trust) to {@code log}. */
        public void install(io.netty.channel.Channel ch, System.Logger log, String server) {
            ch.pipeline().addFirst("tls-log", new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) throws Exception {
                    if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent e && !e.isSuccess()) {
                        log.log(System.Logger.Level.INFO, server + ": TLS handshake from " + ctx.channel().remoteAddress()
                                + " failed: " + describe(e.cause()));
                        ctx.close();
                    }
                    super.userEventTriggered(ctx, evt);
                }

                @Override
                public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                    if (cause instanceof io.netty.handler.codec.DecoderException
                            && cause.getCause() instanceof SSLException) {
                        ctx.close(); // reported by the handshake event or a broken TLS record: no stack trace
                        return;
                    }
                    ctx.fireExceptionCaught(cause);
                }
            });
            ch.pipeline().addFirst("tls", handler(ch.alloc()));
        }
    }

    /** Where a connection goes and whether it speaks TLS: {@code [tls:|tcp:]host:port}. */
    public record Address(boolean tls, String authority) {
        /** {@code tls:} or {@code tcp:} decides; a bare address follows {@code tlsDefault}. */
        public static Address parse(String text, boolean tlsDefault) {
            String t = text.trim();
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.startsWith("tls:")) {
                return new Address(true, t.substring(4));
            }
            if (lower.startsWith("tcp:")) {
                return new Address(false, t.substring(4));
            }
            return new Address(tlsDefault, t);
        }

        @Override
        public String toString() {
            return (tls ? "tls:" : "tcp:") + authority;
        }
    }

    /** A pin as written by an operator (hex, colons and spaces allowed), normalized; null when not 32 bytes of hex. */
    public static String normalizePin(String pin) {
        String p = pin.replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (p.startsWith("sha256/") || p.startsWith("sha-256/")) {
            p = p.substring(p.indexOf('/') + 1);
        }
        return p.matches("[0-9a-f]{64}") ? p : null;
    }

    /**
     * The server identity: {@code certificate}/{@code key} PEM files when both are given; otherwise the
     * certificate in {@code dataDir} (webconnect-tls.crt/.key), generated there on first use for
     * {@code names} (DNS names or IP addresses; localhost and loopback are always added).
     */
    public static ServerIdentity server(String certificate, String key, Path dataDir, List<String> names)
            throws IOException, GeneralSecurityException {
        if ((certificate == null || certificate.isBlank()) && dataDir == null) {
            throw new IllegalArgumentException("tls=true needs tls.certificate and tls.key (no data directory to keep a generated one)");
        }
        Certificates.Identity id = Certificates.load(certificate, key, "tls.certificate", "tls.key",
                dataDir == null ? null : dataDir.resolve("webconnect-tls.crt"),
                dataDir == null ? null : dataDir.resolve("webconnect-tls.key"), names);
        SslContext ctx = SslContextBuilder.forServer(id.key(), id.chain().toArray(X509Certificate[]::new))
                .sslProvider(SslProvider.JDK).protocols(PROTOCOL).build();
        return new ServerIdentity(ctx, id.certificate(), id.fingerprint(), id.certificateFile(), id.generated());
    }

    /**
     * A client context. {@code trustFile}: PEM certificates to trust (as anchors); {@code pins}: SHA-256
     * fingerprints of acceptable server certificates; neither: the system trust store.
     */
    public static SslContext client(String trustFile, List<String> pins) throws IOException, GeneralSecurityException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PROTOCOL);
        if (pins != null && !pins.isEmpty()) {
            Set<String> normal = new LinkedHashSet<>();
            for (String p : pins) {
                String n = normalizePin(p);
                if (n == null) {
                    throw new IllegalArgumentException("trust-fingerprint '" + p + "' is not a SHA-256 fingerprint (64 hex digits)");
                }
                normal.add(n);
            }
            b.trustManager(new PinTrust(normal));
        } else if (trustFile != null && !trustFile.isBlank()) {
            List<X509Certificate> anchors = Certificates.certificates(Path.of(trustFile));
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("no certificate in trust file " + trustFile);
            }
            b.trustManager(anchors.toArray(X509Certificate[]::new));
        }
        return b.build();
    }

    /**
     * A client handler for {@code host:port}; {@code verifyHostname} checks the certificate names the host
     * (off for pinned certificates: the pin is the identity).
     */
    public static SslHandler clientHandler(SslContext ctx, ByteBufAllocator alloc, String host, int port,
            boolean verifyHostname) {
        SSLEngine engine = ctx.newEngine(alloc, host, port);
        if (verifyHostname) {
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        SslHandler h = new SslHandler(engine);
        h.setHandshakeTimeoutMillis(15_000);
        return h;
    }

    /** A readable reason for a failed TLS handshake or connection. */
    public static String describe(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof NotSslRecordException) {
                return "the other side does not speak TLS";
            }
            if (c instanceof UntrustedCertificate u) {
                return u.getMessage();
            }
            if (c instanceof CertificateException && c.getMessage() != null) {
                String m = c.getMessage();
                if (m.contains("No subject alternative") || m.contains("No name matching")) {
                    return "the server's certificate does not name this host (" + m + ")";
                }
            }
            if (c instanceof SSLHandshakeException && c.getMessage() != null
                    && (c.getMessage().contains("PKIX") || c.getMessage().contains("unable to find valid certification path"))) {
                return "the server's certificate is not trusted (not signed by a trusted authority; set 'trust' or 'trust-fingerprint')";
            }
            if (c.getCause() == null || c.getCause() == c) {
                break;
            }
            c = c.getCause();
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof SSLException) {
                break;
            }
            root = root.getCause();
        }
        return "TLS failed: " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    /** The peer presented a certificate matching no pin. */
    public static final class UntrustedCertificate extends CertificateException {
        private static final long serialVersionUID = 1L;

        UntrustedCertificate(String message) {
            super(message);
        }
    }

    private static final class PinTrust implements X509TrustManager {
        private final Set<String> pins;

        PinTrust(Set<String> pins) {
            this.pins = pins;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not used");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new UntrustedCertificate("the server presented no certificate");
            }
            chain[0].checkValidity();
            String fp = Certificates.fingerprint(chain[0]);
            if (!pins.contains(fp)) {
                throw new UntrustedCertificate("the server's certificate (SHA-256 " + fp
                        + ") matches no trust-fingerprint");
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
