package org.tandemrc.webconnect.manager.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.webconnect.protocol.Support;
import org.tandemrc.webconnect.store.Store;
import org.tandemrc.webconnect.tls.Tls;

/**
 * The support page of a real Connection Manager, over real HTTPS on loopback with a client that trusts
 * the page's certificate by its SHA-256 fingerprint only: what the person sees, what the download holds,
 * and what an attacker gets.
 */
class SupportPageTest {

    private static final String FILE = SupportPage.FILE;

    @TempDir
    Path dir;
    private ManagerServer manager;
    private SupportPage page;
    private Tls.ServerIdentity identity;
    private Path script;
    private byte[] original;
    private int port;
    private final AuditCapture capture = new AuditCapture();

    /** A response read to its end (every answer closes the connection). */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    @BeforeEach
    void start() throws Exception {
        capture.start();
        script = dir.resolve(FILE);
        original = fixture(true);
        Files.write(script, original);
        identity = Tls.server("", "", dir.resolve("data"), List.of("127.0.0.1"));
        manager = RawClient.started(30, "acme");
        page(script);
    }

    private void page(Path download) throws IOException {
        if (page != null) {
            page.stop();
        }
        page = new SupportPage(manager, new SupportPage.Settings("127.0.0.1", 0, "", download, 2), identity);
        page.start();
        manager.support.pageUrl(page.url());
        port = Integer.parseInt(page.url().substring(page.url().lastIndexOf(':') + 1));
    }

    @AfterEach
    void stop() {
        if (page != null) {
            page.stop();
        }
        manager.stop();
        capture.stop();
    }

    /**
     * A stand-in for the temporary Host's script: a shell header with the preset line, then 3 MB of
     * random payload (holding newlines, quotes and the preset text itself, which must stay as they are).
     */
    private static byte[] fixture(boolean withPreset) {
        StringBuilder h = new StringBuilder("#!/bin/sh\n# Tandem temporary Host\nset -u\n");
        for (int i = 0; i < 20; i++) {
            h.append("x").append(i).append("=1\n");
        }
        h.append(withPreset ? "preset=''\n" : "preset=\n").append("payload_line=30\nexit 0\n");
        byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[3_000_000];
        new SecureRandom().nextBytes(payload);
        byte[] again = "\npreset=''\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(again, 0, payload, 2_000_000, again.length);
        byte[] all = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        return all;
    }

    private SSLContext pinned() throws Exception {
        String pin = identity.fingerprint();
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, new X509TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("no client certificates");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (!org.tandemrc.support.tls.Certificates.fingerprint(chain[0]).equals(pin)) {
                    throw new CertificateException("not the page's certificate");
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    /** Sends {@code request} as it is and reads the answer until the page closes the connection. */
    private Response raw(byte[] request) throws Exception {
        try (SSLSocket s = (SSLSocket) pinned().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            byte[] all = readAll(s);
            int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(end > 0, "an HTTP answer: " + new String(all, 0, Math.min(all.length, 200), StandardCharsets.UTF_8));
            String[] lines = new String(all, 0, end, StandardCharsets.US_ASCII).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    Arrays.copyOfRange(all, end + 4, all.length));
        }
    }

    private static byte[] readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (javax.net.ssl.SSLException e) {
            // a peer that closes without close_notify after its answer: what was read stands
        }
        return b.toByteArray();
    }

    private Response request(String method, String path) throws Exception {
        return raw((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The path of a session's link on this page. */
    private String path(Support.Session s) {
        assertTrue(s.link().startsWith(page.url() + "/s/"), s.link());
        return s.link().substring(page.url().length());
    }

    private static List<byte[]> lines(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                out.add(Arrays.copyOfRange(b, start, i + 1));
                start = i + 1;
            }
        }
        out.add(Arrays.copyOfRange(b, start, b.length));
        return out;
    }

    /** The line that is the preset line in the original, and the SHA-256 of everything else. */
    private record Split(String preset, byte[] rest, int lines) {
    }

    private static Split split(byte[] file) throws Exception {
        List<byte[]> lines = lines(file);
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        String preset = null;
        for (int i = 0; i < lines.size(); i++) {
            if (i == 23) { // the fixture's preset line: 3 + 20 lines above it
                preset = new String(lines.get(i), StandardCharsets.US_ASCII).strip();
            } else {
                d.update(lines.get(i));
            }
        }
        return new Split(preset, d.digest(), lines.size());
    }

    private void assertSafeHeaders(Response r) {
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals("no-referrer", r.header("Referrer-Policy"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals(SupportPage.CSP, r.header("Content-Security-Policy"));
        assertTrue(r.header("Content-Security-Policy").startsWith("default-src 'none'"));
        assertEquals(Integer.toString(r.body().length), r.header("Content-Length"));
    }

    @Test
    void thePageNamesTheSupporterEscapedAndOffersTheDownload() throws Exception {
        Support.Session s = manager.createSupport("127.0.0.1", "acme", "Ann <script>alert('x')</script> & Co", 0, 0);
        String token = path(s).substring(3);
        assertTrue(token.matches("[A-Za-z0-9_-]{22}"), token);
        Response r = request("GET", path(s));
        assertEquals(200, r.status());
        assertSafeHeaders(r);
        assertTrue(r.header("Content-Type").startsWith("text/html"));
        String html = r.text();
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("Ann &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co</strong> (account acme) will help"
                + " you."), html);
        assertTrue(html.contains("href=\"" + path(s) + "/" + FILE + "\""), html);
        assertTrue(html.contains("open a terminal and run <code>sh ~/Downloads/" + FILE + "</code>"), html);
        assertTrue(html.contains(Support.display(s.code())), html);
        assertTrue(html.contains("valid until"), html);

        Response root = request("GET", "/");
        assertEquals(200, root.status());
        assertSafeHeaders(root);
        assertTrue(root.text().contains("Your supporter gave you a code? Download the temporary Host, run it, type the code."));
        assertTrue(root.text().contains("href=\"/" + FILE + "\""));
    }

    @Test
    void theDownloadHoldsTheCurrentCodeAndIsOtherwiseTheSameFile() throws Exception {
        Support.Session s = manager.createSupport("127.0.0.1", "acme", "Ann", 0, 0);
        Response r = request("GET", path(s) + "/" + FILE);
        assertEquals(200, r.status());
        assertSafeHeaders(r);
        assertEquals("attachment; filename=\"" + FILE + "\"", r.header("Content-Disposition"));
        Split got = split(r.body());
        Split want = split(original);
        assertEquals("preset='code=" + s.code() + ";manager=tcp:" + manager.address() + "'", got.preset());
        assertEquals(SupportPage.PRESET_LINE, want.preset());
        assertArrayEquals(want.rest(), got.rest(), "every other byte is the original's");
        assertEquals(want.lines(), got.lines());
        assertTrue(capture.lines().stream().anyMatch(l -> l.startsWith("TWCSUP*") && l.contains("downloaded from the link")
                && l.contains("code ending " + s.code().substring(6))), capture.lines().toString());

        Response plain = request("GET", "/" + FILE);
        assertEquals(200, plain.status());
        assertEquals("preset='manager=tcp:" + manager.address() + "'", split(plain.body()).preset());
        assertArrayEquals(want.rest(), split(plain.body()).rest());
    }

    @Test
    void extendKeepsTheLinkAndRenewChangesTheCodeInsideTheDownload() throws Exception {
        Support.Session s = manager.createSupport("127.0.0.1", "acme", "Ann", 0, 0);
        Support.Session extended = manager.changeSupport("127.0.0.1", "the supporter", "acme", Support.EXTEND, s.code());
        assertEquals(s.link(), extended.link());
        Support.Session renewed = manager.changeSupport("127.0.0.1", "the supporter", "acme", Support.RENEW, s.code());
        assertEquals(s.link(), renewed.link());
        assertNotEquals(s.code(), renewed.code());
        assertEquals(s.link(), manager.changeSupport("x", "the supporter", "acme", Support.STATUS, renewed.code()).link());
        assertEquals(List.of(s.link()), manager.support.list("acme").stream().map(Support.Session::link).toList());
        Response r = request("GET", path(s) + "/" + FILE);
        assertEquals("preset='code=" + renewed.code() + ";manager=tcp:" + manager.address() + "'", split(r.body()).preset());
        assertTrue(request("GET", path(s)).text().contains(Support.display(renewed.code())));
    }

    @Test
    void unknownEndedAndMalformedLinksGetTheSameAnswer() throws Exception {
        Support.Session ended = manager.createSupport("127.0.0.1", "acme", "Ann", 0, 0);
        manager.changeSupport("127.0.0.1", "the supporter", "acme", Support.CANCEL, ended.code());
        List<String> paths = List.of(path(ended), path(ended) + "/" + FILE, "/s/AAAAAAAAAAAAAAAAAAAAAA",
                "/s/AAAAAAAAAAAAAAAAAAAAAA/" + FILE, "/s/short", "/s/", "/s/'%3Cscript%3E");
        Response first = null;
        for (String p : paths) {
            Response r = request("GET", p);
            assertEquals(404, r.status(), p);
            assertSafeHeaders(r);
            assertTrue(r.text().contains(SupportPage.NOT_VALID), r.text());
            if (first != null) {
                assertArrayEquals(first.body(), r.body(), p);
                assertEquals(first.headers(), r.headers(), p);
            }
            first = r;
        }
    }

    @Test
    void anythingButTheFixedRoutesIsRefused() throws Exception {
        for (String p : List.of("/s/../../etc/passwd", "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/" + FILE + "/..",
                "//etc/passwd", "/etc/passwd")) {
            Response r = request("GET", p);
            assertEquals(404, r.status(), p);
            assertFalse(r.text().contains("root:"), p);
        }
        assertEquals(400, request("GET", "http://127.0.0.1/").status());
        Response post = request("POST", "/");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("Allow"));
        assertRefused(431, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(100_000) + "\r\n\r\n");
        assertRefused(414, "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n\r\n");
    }

    /**
     * The page answers {@code status} to an over-long request, or resets the connection while the rest
     * of it still arrives (the answer then may be lost): either way nothing else.
     */
    private void assertRefused(int status, String request) throws Exception {
        Response r;
        try {
            r = raw(request.getBytes(StandardCharsets.US_ASCII));
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer and no reset", e);
        } catch (IOException e) {
            return; // reset after the page stopped reading
        }
        assertEquals(status, r.status());
    }

    @Test
    void headAnswersTheHeadersOfGet() throws Exception {
        Support.Session s = manager.createSupport("127.0.0.1", "acme", "Ann", 0, 0);
        for (String p : List.of("/", path(s), path(s) + "/" + FILE, "/" + FILE, "/s/AAAAAAAAAAAAAAAAAAAAAA")) {
            Response get = request("GET", p);
            Response head = request("HEAD", p);
            assertEquals(get.status(), head.status(), p);
            assertEquals(0, head.body().length, p);
            assertEquals(get.header("Content-Length"), head.header("Content-Length"), p);
            assertEquals(Integer.toString(get.body().length), head.header("Content-Length"), p);
        }
    }

    @Test
    void aDownloadWithoutItsPresetLineOrWithoutAFileIsNotServed() throws Exception {
        Files.write(script, fixture(false));
        Support.Session s = manager.createSupport("127.0.0.1", "acme", "Ann", 0, 0);
        Response r = request("GET", path(s) + "/" + FILE);
        assertEquals(503, r.status());
        assertTrue(r.text().contains("not available"), r.text());
        assertEquals(200, request("GET", path(s)).status());

        page(dir.resolve("missing.sh"));
        s = manager.support.list("acme").get(0);
        assertTrue(request("GET", path(s)).text().contains("download is not available"));
        assertEquals(404, request("GET", path(s) + "/" + FILE).status());
        page(null);
        assertTrue(request("GET", "/").text().contains("download is not available"));
    }

    @Test
    void aManagerWithTlsPresetsItsFingerprint() throws Exception {
        manager.stop();
        Store store = new Store("jdbc:h2:mem:page" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "");
        manager = new ManagerServer(new ManagerServer.Settings("m2", "127.0.0.1", 0, "", null, 60, 30, 100), store);
        manager.tls(identity);
        manager.start();
        RawClient.account(manager, "acme");
        page(script);
        Support.Session s = manager.createSupport("127.0.0.1", "acme", "Ann", 0, 0);
        assertTrue(manager.address().startsWith("tls:127.0.0.1:"), manager.address());
        assertEquals("preset='code=" + s.code() + ";manager=" + manager.address() + ";trust-fingerprint="
                + identity.fingerprint() + "'", split(request("GET", path(s) + "/" + FILE).body()).preset());
    }

    @Test
    void curlDownloadsItTrustingTheCertificate() throws Exception {
        Support.Session s = manager.createSupport("127.0.0.1", "acme", "Ann", 0, 0);
        Path got = dir.resolve("got.sh");
        Process p = new ProcessBuilder("curl", "-sS", "--fail", "--cacert", identity.certificateFile().toString(),
                "-o", got.toString(), "-D", dir.resolve("headers").toString(), s.link() + "/" + FILE)
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Split split = split(Files.readAllBytes(got));
        assertEquals("preset='code=" + s.code() + ";manager=tcp:" + manager.address() + "'", split.preset());
        assertArrayEquals(split(original).rest(), split.rest());
    }

    @Test
    void oneAddressHasABoundedNumberOfConnections() throws Exception {
        List<SSLSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                SSLSocket s = (SSLSocket) pinned().getSocketFactory().createSocket("127.0.0.1", port);
                s.startHandshake();
                held.add(s);
            }
            try (SSLSocket ninth = (SSLSocket) pinned().getSocketFactory().createSocket("127.0.0.1", port)) {
                ninth.setSoTimeout(10_000);
                org.junit.jupiter.api.Assertions.assertThrows(IOException.class, ninth::startHandshake);
            }
            held.remove(0).close();
            long until = System.currentTimeMillis() + 10_000;
            Response r = null;
            while (r == null) {
                try {
                    r = request("GET", "/");
                } catch (IOException e) {
                    // the closed one is not counted off yet
                    if (System.currentTimeMillis() > until) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
            assertEquals(200, r.status());
        } finally {
            for (SSLSocket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aDatabaseMadeBeforeThePageGetsTheLinkColumn() throws Exception {
        String url = "jdbc:h2:mem:old" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (java.sql.Connection c = new org.h2.Driver().connect(url, new java.util.Properties());
                java.sql.Statement st = c.createStatement()) {
            st.execute("create table wc_support (code varchar(16) primary key, account varchar(64) not null,"
                    + " supporter varchar(200) not null, created bigint not null, code_expires bigint not null,"
                    + " lifetime_minutes int not null, activated bigint not null, ends bigint not null,"
                    + " host_name varchar(64) not null, host_instance varchar(64) not null, state varchar(16) not null)");
            st.execute("insert into wc_support values ('123456789', 'acme', 'Ann', 0, " + (System.currentTimeMillis() + 600_000)
                    + ", 60, 0, 0, 'support-123456789', '', 'waiting')");
        }
        try (Store store = new Store(url, "", "")) {
            SupportSessions sessions = new SupportSessions(store, new SecureRandom());
            sessions.pageUrl("https://support.example");
            assertEquals(List.of(""), sessions.list("acme").stream().map(Support.Session::link).toList(),
                    "a session made before has no token, so no link");
            assertTrue(sessions.create("acme", "Bob", 0, 0).link().startsWith("https://support.example/s/"));
        }
    }

    @Test
    void aRequestSentByteByByteIsCutOffAtItsDeadline() throws Exception {
        try (SSLSocket s = (SSLSocket) pinned().getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            long start = System.nanoTime();
            OutputStream out = s.getOutputStream();
            try {
                // 3 s of a byte every 100 ms: never idle, never a whole request
                for (byte b : "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                // closed while writing: what is read next says so too
            }
            int read;
            try {
                read = s.getInputStream().read();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("still open after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            } catch (IOException e) {
                read = -1;
            }
            assertEquals(-1, read, "closed without an answer");
        }
    }

    @Test
    void noPageNoLink() throws Exception {
        manager.support.pageUrl("");
        assertEquals("", manager.createSupport("127.0.0.1", "acme", "Ann", 0, 0).link());
    }

    @Test
    void onlyAllowedCharactersArePreset() {
        assertEquals("preset='code=123456789;manager=tcp:" + manager.address() + "'", page.preset("123456789"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> page.preset("1;rm -rf"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> page.preset("1'x"));
    }
}
