package org.tandemrc.support.tls;

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
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * A server's certificate: read from PEM files an operator gives (certificate chain and unencrypted key), or
 * made once, self-signed (ECDSA P-256, 10 years), with its key kept owner-only. Clients compare its
 * SHA-256 {@link #fingerprint}.
 */
public final class Certificates {

    private Certificates() {
    }

    /** A certificate chain (the server's first) and its private key. */
    public record Identity(List<X509Certificate> chain, PrivateKey key, Path certificateFile, boolean generated) {
        public Identity {
            chain = List.copyOf(chain);
        }

        public X509Certificate certificate() {
            return chain.get(0);
        }

        /** {@link Certificates#fingerprint} of the server's certificate. */
        public String fingerprint() {
            return Certificates.fingerprint(certificate());
        }
    }

    /**
     * The server identity: the PEM files {@code certificate} and {@code key} when both are given (what
     * {@code certificateOption}/{@code keyOption} name in messages); otherwise {@code generatedCertificate}
     * and {@code generatedKey}, made on first use for {@code names} (DNS names or IP addresses; localhost,
     * loopback and this machine's name are always added).
     *
     * @throws IllegalArgumentException naming the option or file when the pair is incomplete, unreadable or
     *                                  does not hold a certificate and a key
     */
    public static Identity load(String certificate, String key, String certificateOption, String keyOption,
            Path generatedCertificate, Path generatedKey, Collection<String> names)
            throws IOException, GeneralSecurityException {
        boolean hasCert = certificate != null && !certificate.isBlank();
        boolean hasKey = key != null && !key.isBlank();
        if (hasCert != hasKey) {
            throw new IllegalArgumentException(certificateOption + " and " + keyOption
                    + " go together: set both or neither");
        }
        Path certFile = hasCert ? Path.of(certificate) : generatedCertificate;
        Path keyFile = hasCert ? Path.of(key) : generatedKey;
        boolean generated = false;
        if (!hasCert) {
            synchronized (Certificates.class) {
                if (!Files.exists(certFile) || !Files.exists(keyFile)) {
                    generate(certFile, keyFile, names);
                    generated = true;
                }
            }
        }
        for (Path f : List.of(certFile, keyFile)) {
            if (!Files.isReadable(f)) {
                throw new IllegalArgumentException("cannot read " + f);
            }
        }
        List<X509Certificate> chain;
        try {
            chain = certificates(certFile);
        } catch (CertificateException | IOException e) {
            throw new IllegalArgumentException("the certificate in " + certFile + " is broken: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate (-----BEGIN CERTIFICATE-----) in " + certFile);
        }
        PrivateKey pk;
        try {
            pk = privateKey(keyFile);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!belong(pk, chain.get(0))) {
            throw new IllegalArgumentException("the key in " + keyFile + " does not belong to the certificate in " + certFile);
        }
        return new Identity(chain, pk, certFile, generated);
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean belong(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(challenge);
            byte[] signature = s.sign();
            s.initVerify(certificate.getPublicKey());
            s.update(challenge);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // keys of different algorithms
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

    /** The fingerprint as browsers show it: upper-case byte pairs joined by colons. */
    public static String colons(String fingerprint) {
        return String.join(":", fingerprint.toUpperCase(java.util.Locale.ROOT).split("(?<=\\G..)"));
    }

    // ---------------------------------------------------------------- PEM

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
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
            String alg;
            try {
                alg = PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm().getAlgorithm().getId();
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("the " + b.type() + " in " + file + " is broken");
            }
            String name = switch (alg) {
                case "1.2.840.113549.1.1.1" -> "RSA";
                case "1.2.840.10045.2.1" -> "EC";
                case "1.3.101.112" -> "Ed25519";
                default -> throw new GeneralSecurityException("unsupported key algorithm " + alg + " in " + file);
            };
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        }
        throw new GeneralSecurityException("no private key (-----BEGIN PRIVATE KEY-----) in " + file);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Creates {@code file} empty and owner-only (where the file system knows permissions), replacing it. */
    public static void createOwnerOnly(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.writeString(file, "", StandardOpenOption.CREATE_NEW);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    // ---------------------------------------------------------------- self-signed

    /** Writes a self-signed ECDSA P-256 certificate (10 years) and its key (0600) for {@code names}. */
    static void generate(Path certFile, Path keyFile, Collection<String> names) throws IOException, GeneralSecurityException {
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
        X500Name subject = new X500Name("CN=" + cn.replaceAll("[,=+<>#;\"\\\\]", "_") + ",O=Tandem");
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
        createOwnerOnly(keyFile);
        Files.writeString(keyFile, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(certFile, pem("CERTIFICATE", der), StandardCharsets.US_ASCII);
    }
}
