package org.tandemrc.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.tandemrc.support.tls.Certificates;

/**
 * The browser console's HTTPS: the certificate made once in {@code data/console/} (or the operator's PEM
 * pair), handed to Jetty as a PKCS#12 key store written afresh at each start with a random password that
 * lives only in this process. Jetty reads the key store when it starts, so the launcher prepares it before
 * the framework does.
 */
final class ConsoleTls {

    /** The self-signed certificate made on first start, and its key (owner-only). */
    static final String CERTIFICATE = "https.crt";
    static final String KEY = "https.key";
    private static final String KEY_STORE = "https.p12";

    /** Framework properties the web console reads: the certificate's fingerprint (as browsers show it), file and names. */
    static final String FINGERPRINT = "tandem.console.tls.fingerprint";
    static final String CERTIFICATE_FILE = "tandem.console.tls.certificate";
    static final String NAMES = "tandem.console.tls.names";

    private ConsoleTls() {
    }

    /**
     * Jetty's framework properties for HTTPS on {@code host:port} with {@code certificate}/{@code key}
     * (both or neither), or the certificate in {@code console} (made for {@code host} and this machine's
     * names when missing).
     *
     * @throws IllegalArgumentException naming the file or option when the pair cannot be used
     */
    static Map<String, String> options(Path console, String host, String port, Path certificate, Path key)
            throws IOException {
        Certificates.Identity id;
        try {
            id = Certificates.load(certificate == null ? null : certificate.toString(),
                    key == null ? null : key.toString(), "--tls-cert", "--tls-key", console.resolve(CERTIFICATE),
                    console.resolve(KEY), names(host));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        char[] password = password();
        Path store = console.resolve(KEY_STORE);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("console", id.key(), password, id.chain().toArray(X509Certificate[]::new));
            Certificates.createOwnerOnly(store);
            try (OutputStream out = Files.newOutputStream(store)) {
                ks.store(out, password);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot make the key store " + store + ": " + e.getMessage(), e);
        }
        Map<String, String> options = new HashMap<>();
        options.put("org.apache.felix.http.enable", "false");
        options.put("org.apache.felix.https.enable", "true");
        options.put("org.osgi.service.http.port.secure", port);
        options.put("org.apache.felix.https.keystore", store.toString());
        options.put("org.apache.felix.https.keystore.type", "PKCS12");
        options.put("org.apache.felix.https.keystore.password", new String(password));
        options.put("org.apache.felix.https.keystore.key.password", new String(password));
        options.put(FINGERPRINT, Certificates.colons(id.fingerprint()));
        options.put(CERTIFICATE_FILE, id.certificateFile().toAbsolutePath().toString());
        options.put(NAMES, String.join(",", subjectNames(id.certificate())));
        return options;
    }

    /** The names a new certificate is made for: the listening name or address, else every address of this machine. */
    static List<String> names(String host) {
        Set<String> names = new LinkedHashSet<>();
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(host);
            return new ArrayList<>(names);
        }
        try {
            for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        names.add(a.getHostAddress().replaceFirst("%.*$", ""));
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: this machine's name and loopback only
        }
        return new ArrayList<>(names);
    }

    /** The DNS names and IP addresses the certificate is for, as a browser writes them in the Host header. */
    static List<String> subjectNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return names;
        }
        if (sans == null) {
            return names;
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
            if (type == 2 && !value.startsWith("*")) {
                names.add(value);
            } else if (type == 7 && !value.contains(":")) {
                names.add(value); // IPv6 other than loopback (always allowed) is left to allowed.hosts
            }
        }
        return names;
    }

    private static char[] password() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }
}
