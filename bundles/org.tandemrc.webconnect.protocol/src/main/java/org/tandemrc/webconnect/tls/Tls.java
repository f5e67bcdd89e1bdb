package org.tandemrc.webconnect.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * TLS for WebConnect: TLS 1.3 only, the JDK's SSLEngine (no native library). Servers present a
 * certificate from PEM files or one generated once (self-signed, ECDSA P-256); clients trust a PEM file,
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

    /** Lowercase hex SHA-256 of the certificate's DER encoding. */
    public static String fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
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
        boolean hasCert = certificate != null && !certificate.isBlank();
        boolean hasKey = key != null && !key.isBlank();
        if (hasCert != hasKey) {
            throw new IllegalArgumentException("tls.certificate and tls.key go together: set both or neither");
        }
        Path certFile;
        Path keyFile;
        boolean generated = false;
        if (hasCert) {
            certFile = Path.of(certificate);
            keyFile = Path.of(key);
        } else {
            if (dataDir == null) {
                throw new IllegalArgumentException("tls=true needs tls.certificate and tls.key (no data directory to keep a generated one)");
            }
            certFile = dataDir.resolve("webconnect-tls.crt");
            keyFile = dataDir.resolve("webconnect-tls.key");
            synchronized (Tls.class) {
                if (!Files.exists(certFile) || !Files.exists(keyFile)) {
                    generate(certFile, keyFile, names);
                    generated = true;
                }
            }
        }
        List<X509Certificate> chain = certificates(certFile);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + certFile);
        }
        PrivateKey pk = privateKey(keyFile);
        SslContext ctx = SslContextBuilder.forServer(pk, chain.toArray(X509Certificate[]::new))
                .sslProvider(SslProvider.JDK).protocols(PROTOCOL).build();
        return new ServerIdentity(ctx, chain.get(0), fingerprint(chain.get(0)), certFile, generated);
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
            List<X509Certificate> anchors = certificates(Path.of(trustFile));
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
            String fp = fingerprint(chain[0]);
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

    // ---------------------------------------------------------------- PEM

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""))));
            } catch (IllegalArgumentException e) {
                throw new IOException("broken PEM block " + m.group(1) + " in " + file);
            }
        }
        return out;
    }

    /** Every CERTIFICATE in a PEM file, in order. */
    public static List<X509Certificate> certificates(Path file) throws IOException, CertificateException {
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (Block b : blocks(file)) {
            if (b.type().equals("CERTIFICATE")) {
                out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        }
        return out;
    }

    /** The private key of a PEM file: PKCS#8 (PRIVATE KEY), PKCS#1 (RSA PRIVATE KEY) or SEC1 (EC PRIVATE KEY). */
    public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        for (Block b : blocks(file)) {
            byte[] pkcs8;
            switch (b.type()) {
                case "PRIVATE KEY" -> pkcs8 = b.der();
                case "RSA PRIVATE KEY" -> pkcs8 = new PrivateKeyInfo(
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                        RSAPrivateKey.getInstance(b.der())).getEncoded(ASN1Encoding.DER);
                case "EC PRIVATE KEY" -> {
                    ECPrivateKey ec = ECPrivateKey.getInstance(b.der());
                    ASN1Encodable params = ec.getParametersObject();
                    if (params == null) {
                        throw new GeneralSecurityException("EC PRIVATE KEY in " + file + " names no curve");
                    }
                    pkcs8 = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params), ec)
                            .getEncoded(ASN1Encoding.DER);
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new GeneralSecurityException(
                        "the key in " + file + " is encrypted; give an unencrypted PKCS#8 key (chmod 600)");
                default -> {
                    continue;
                }
            }
            String alg = PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm().getAlgorithm().getId();
            String name = switch (alg) {
                case "1.2.840.113549.1.1.1" -> "RSA";
                case "1.2.840.10045.2.1" -> "EC";
                case "1.3.101.112" -> "Ed25519";
                default -> throw new GeneralSecurityException("unsupported key algorithm " + alg + " in " + file);
            };
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        }
        throw new GeneralSecurityException("no private key in " + file);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    // ---------------------------------------------------------------- self-signed

    /** Writes a self-signed ECDSA P-256 certificate (10 years) and its key (0600) for {@code names}. */
    static void generate(Path certFile, Path keyFile, List<String> names) throws IOException, GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair kp = g.generateKeyPair();
        Set<String> all = new LinkedHashSet<>();
        for (String n : names == null ? List.<String>of() : names) {
            if (n != null && !n.isBlank() && !n.equals("0.0.0.0") && !n.equals("::")) {
                all.add(n.replace("[", "").replace("]", ""));
            }
        }
        all.add("localhost");
        all.add("127.0.0.1");
        all.add("::1");
        try {
            all.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no host name: loopback names only
        }
        String cn = all.iterator().next();
        List<GeneralName> sans = new ArrayList<>();
        for (String n : all) {
            boolean ip = n.matches("[0-9.]+") || n.contains(":");
            sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        X500Name subject = new X500Name("CN=" + cn.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=Tandem WebConnect");
        long now = System.currentTimeMillis();
        V3TBSCertificateGenerator t = new V3TBSCertificateGenerator();
        t.setSerialNumber(new ASN1Integer(new BigInteger(64, random).add(BigInteger.ONE)));
        t.setIssuer(subject);
        t.setSubject(subject);
        t.setStartDate(new Time(new Date(now - 3_600_000L)));
        t.setEndDate(new Time(new Date(now + 10L * 365 * 24 * 3_600_000L)));
        AlgorithmIdentifier sigAlg = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
        t.setSignature(sigAlg);
        t.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()));
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        t.setExtensions(ext.generate());
        TBSCertificate tbs = t.generateTBSCertificate();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate(), random);
        s.update(tbs.getEncoded(ASN1Encoding.DER));
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(tbs);
        v.add(sigAlg);
        v.add(new DERBitString(s.sign()));
        byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
        // parse back: a broken encoding fails here, not at the first handshake
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        Files.createDirectories(certFile.toAbsolutePath().getParent());
        Files.createDirectories(keyFile.toAbsolutePath().getParent());
        Files.deleteIfExists(keyFile);
        Files.writeString(keyFile, "", StandardOpenOption.CREATE_NEW);
        try {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        Files.writeString(keyFile, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(certFile, pem("CERTIFICATE", der), StandardCharsets.US_ASCII);
    }
}
