package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.TypingTarget;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The browser console end to end: a Host on Xvfb, a console node, and Debian's Chromium driven by
 * playwright-core ({@code src/test/browser/console-test.mjs}) through setup, login, the phonebook,
 * remote control, files, chat, message and tools. The browser script stops at each check the Java
 * side makes (framebuffer, X client, disk, Host terminal). axe-core checks every screen it visits.
 * Screenshots land in {@code target/console-screenshots}; with {@code -Dtandem.docs.screenshots=true}
 * the numbered ones also replace {@code docs/console-screenshots}.
 */
class ConsoleIT {

    private static final String PASSWORD = "console test host password";
    static final Pattern SETUP = Pattern.compile("setup\\s+(https?://\\S+)");
    static final Path BROWSER_SOURCES = Path.of("src/test/browser");
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    @TempDir
    Path tmp;

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A console node on a free loopback port; returns it once it printed its setup link. */
    static NodeProcess console(Path home, int port) throws Exception {
        NodeProcess node = NodeProcess.start("console", "--home", home.toString(), "--http", "127.0.0.1:" + port);
        node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
        return node;
    }

    /** The one-time setup link a console node printed on its first start. */
    static String setupUrl(NodeProcess console) {
        Matcher s = SETUP.matcher(console.output());
        assertTrue(s.find(), console.output());
        return s.group(1);
    }

    /** A console node with a fresh home in {@code tmp/console}, for a browser test. */
    static NodeProcess console(Path tmp) throws Exception {
        Homes.write(tmp.resolve("console"), Homes.defaults());
        return console(tmp.resolve("console"), freePort());
    }

    /** Why a browser test failed: the Host's output and the log of the console made by {@link #console(Path)}. */
    static java.util.function.Supplier<String> why(NodeProcess host, Path tmp) {
        return () -> context(host, tmp.resolve("console/data/log/tandem.log"));
    }

    /**
     * The browser script's {@code TANDEM_TEST_CONFIG} for one Host: the console's setup link, its password,
     * the Host's address and password, Chromium, and where screenshots and other output go.
     */
    static String browserConfig(NodeProcess console, String hostAddress, String hostPassword, Path shots, Path out) {
        return "{\"setupUrl\":\"" + setupUrl(console) + "\",\"consolePassword\":\"a good console password\","
                + "\"hostAddress\":\"" + hostAddress + "\",\"hostPassword\":\"" + hostPassword + "\","
                + "\"chromium\":\"" + chromium() + "\",\"screenshots\":\"" + shots + "\",\"out\":\"" + out + "\"}";
    }

    /** What the console's first-run setup gave: its link's token, the answer, the session cookie and CSRF token. */
    record Login(String token, HttpResponse<String> setup, String cookie, String csrf) {
    }

    /**
     * Sets the console's password through the setup link it printed in {@code output}, as the browser does;
     * fails unless the console accepts it.
     */
    static Login setUp(HttpClient http, String base, String output) throws Exception {
        Matcher s = SETUP.matcher(output);
        assertTrue(s.find(), output);
        String token = s.group(1).substring(s.group(1).indexOf("#setup=") + 7);
        HttpResponse<String> setup = http.send(setupRequest(base, token, "a good console password"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, setup.statusCode(), setup.body());
        return new Login(token, setup, setup.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0],
                setup.body().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1"));
    }

    /** The browser's request that sets the console password with the setup link's {@code token}. */
    static HttpRequest setupRequest(String base, String token, String password) {
        return HttpRequest.newBuilder(URI.create(base + "/api/setup")).header("Origin", base)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"token\":\"" + token + "\",\"password\":\"" + password + "\"}"))
                .build();
    }

    /** playwright-core and axe-core from npm (package-lock.json pins them), installed once into target/browser. */
    static Path browserTest() throws Exception {
        Path dir = Path.of("target/browser").toAbsolutePath();
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "package-lock.json", "steps.mjs", "console-test.mjs", "start-test.mjs",
                "invitation-test.mjs")) {
            Files.copy(BROWSER_SOURCES.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        // A folder installed before axe-core joined the lock file is installed again.
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core")) || !Files.isDirectory(dir.resolve("node_modules/axe-core"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(npm.getInputStream().readAllBytes());
            assertEquals(0, npm.waitFor(), "npm ci failed:\n" + out);
        }
        return dir;
    }

    static String chromium() {
        for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new AssertionError("Chromium is not installed (apt-get install chromium; .ci/run does)");
    }

    /**
     * Waits for the browser script to reach a step; fails with its output when it failed instead, and with
     * what {@code context} tells (the Host's output, the console's log) to see why.
     */
    static String step(NodeProcess browser, String name, long millis, java.util.function.Supplier<String> context)
            throws InterruptedException {
        String line = browser.awaitLine(l -> l.startsWith("STEP " + name) || l.startsWith("FAILED"), millis);
        if (!line.startsWith("STEP " + name)) {
            fail("the browser test failed before '" + name + "':\n" + browser.output() + "\n" + context.get());
        }
        return line;
    }

    /** The Host's output and the console node's log, for a failure message. */
    static String context(NodeProcess host, Path consoleLog) {
        String log;
        try {
            log = Files.readString(consoleLog);
        } catch (IOException e) {
            log = "(no console log: " + e.getMessage() + ")";
        }
        return "Host output:\n" + host.output() + "\nconsole log:\n" + log;
    }

    @Test
    void aSupporterWorksThroughTheBrowserConsole() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path guestFiles = Files.createDirectories(tmp.resolve("guest-files"));
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(6).nextBytes(content);
        Files.write(guestFiles.resolve("report.bin"), content);
        Path shots = Files.createDirectories(SCREENSHOTS.toAbsolutePath());
        // This run's numbered screens only: an earlier run's, numbered otherwise, must not reach the docs.
        try (var earlier = Files.newDirectoryStream(shots, "[0-9][0-9]-*.png")) {
            for (Path p : earlier) {
                Files.delete(p);
            }
        }
        Path hostHome = tmp.resolve("host");
        Path pw = tmp.resolve("host-pw");
        Files.writeString(pw, PASSWORD + "\n");
        Path dir = browserTest();
        try (Xvfb x = Xvfb.start(1024, 768, fb)) {
            Process logo = x.client("xlogo", "-geometry", "300x300+600+300");
            try (NodeProcess host = NodeProcess.host(hostHome, pw, Map.of("DISPLAY", x.display), true,
                    // No desktop notices: the canvas is compared with the framebuffer.
                    Map.of("org.tandemrc.files.cfg", "shares = inbox=" + share + "\n",
                            "org.tandemrc.host.desktop.cfg", "notices = false\n"))) {
                String hostAddress = host.tcpAddress();
                int port = freePort();
                int helpDesk = freePort();
                Homes.write(tmp.resolve("console"), Homes.defaults());
                Homes.write(tmp.resolve("console"), Map.of("org.tandemrc.guest.helpdesk.cfg",
                        "services = Support\nlisten = tcp:127.0.0.1:" + helpDesk + "\n"));
                try (NodeProcess console = console(tmp.resolve("console"), port)) {
                    Matcher s = SETUP.matcher(console.output());
                    assertTrue(s.find(), console.output());
                    java.util.function.Supplier<String> why = () -> context(host,
                            tmp.resolve("console/data/log/tandem.log"));
                    String typed = "Hello Tandem, 123!";
                    String problem = "the scanner saves blank pages";
                    String config = "{\"setupUrl\":\"" + s.group(1) + "\",\"consolePassword\":\"a good console password\","
                            + "\"hostAddress\":\"" + hostAddress + "\",\"hostPassword\":\"" + PASSWORD + "\","
                            + "\"chromium\":\"" + chromium() + "\",\"screenshots\":\"" + shots + "\",\"out\":\"" + tmp
                            + "\",\"typed\":\"" + typed + "\",\"share\":\"inbox\",\"guestDir\":\"" + guestFiles
                            + "\",\"fileName\":\"report.bin\",\"problem\":\"" + problem + "\"}";
                    try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config,
                            "DISPLAY", ""), dir, "node", "console-test.mjs")) {
                        String canvas = step(browser, "canvas", 120_000, why);
                        assertTrue(canvas.startsWith("STEP canvas 1024x768"), browser.output() + "\nconsole log:\n"
                                + Files.readString(tmp.resolve("console/data/log/tandem.log")));
                        byte[] rgba = Files.readAllBytes(tmp.resolve("canvas.rgba"));
                        int[] got = new int[1024 * 768];
                        for (int i = 0; i < got.length; i++) {
                            got[i] = (rgba[4 * i] & 0xff) << 16 | (rgba[4 * i + 1] & 0xff) << 8 | (rgba[4 * i + 2] & 0xff);
                        }
                        assertArrayEquals(x.framebuffer(), got, "the canvas differs from the X server's framebuffer");
                        browser.type("go canvas 1024x768");

                        step(browser, "typing-target", 30_000, why);
                        try (TypingTarget.Running target = TypingTarget.start(x.display, tmp)) {
                            browser.type("go typing-target");
                            step(browser, "typed", 30_000, why);
                            assertEquals(typed, target.awaitText(typed), browser.output());
                        }
                        browser.type("go typed");

                        step(browser, "file", 90_000, why);
                        assertArrayEquals(content, Files.readAllBytes(share.resolve("report.bin")), "the dragged file arrived");
                        browser.type("go file");

                        step(browser, "chat-open", 30_000, why);
                        host.awaitLine(l -> l.contains("Chat with"), 10_000);
                        host.type("hello from the Host");
                        browser.type("go chat-open");
                        step(browser, "chat-sent", 30_000, why);
                        host.awaitLine(l -> l.endsWith(": thanks from the browser"), 10_000);
                        browser.type("go chat-sent");

                        step(browser, "help-request", 60_000, why);
                        NodeProcess.Result help = NodeProcess.run("admin", "--home", hostHome.toString(), "help",
                                "request", "--provider", "Support", "--to", "tcp:127.0.0.1:" + helpDesk, "--problem", problem);
                        assertEquals(0, help.status(), help.out() + help.err());
                        browser.type("go help-request");

                        assertEquals(0, browser.awaitExit(120_000), browser.output());
                        // What axe-core found on each screen, in the build's log even when nothing failed.
                        browser.output().lines().filter(l -> l.startsWith("AXE")).forEach(System.out::println);
                        help = NodeProcess.run("admin", "--home", hostHome.toString(), "help", "status");
                        assertTrue(help.out().startsWith("taken: help from Support at tcp:127.0.0.1:" + helpDesk),
                                help.out());
                        assertTrue(browser.output().contains("STEP done"), browser.output());
                        assertTrue(host.output().contains("Your printer is fixed"), host.output());
                    }
                    if (Boolean.getBoolean("tandem.docs.screenshots")) {
                        refreshDocsScreenshots(shots);
                    }
                }
            } finally {
                logo.destroy();
            }
        }
    }

    /**
     * Replaces the pictures in docs/console-screenshots with this run's numbered screens. Only when asked
     * ({@code -Dtandem.docs.screenshots=true}): an ordinary build must not rewrite files of the source tree.
     */
    private static void refreshDocsScreenshots(Path shots) throws IOException {
        Path docs = Path.of("../docs/console-screenshots").toAbsolutePath().normalize();
        Files.createDirectories(docs);
        try (var old = Files.newDirectoryStream(docs, "*.png")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        try (var screens = Files.newDirectoryStream(shots, "[0-9][0-9]-*.png")) {
            for (Path p : screens) {
                Files.copy(p, docs.resolve(p.getFileName()));
            }
        }
    }

    @Test
    void theFirstCommandShowsThisComputerInTheConsole() throws Exception {
        Path fb = Files.createDirectories(tmp.resolve("fb"));
        int http = freePort();
        int tcp = freePort();
        try (Xvfb x = Xvfb.start(800, 600, fb);
                // No questions on this desktop (HostDesktopIT answers them): --role gives the console full access.
                NodeProcess node = NodeProcess.start(Map.of("DISPLAY", x.display), "start", "--home",
                        tmp.resolve("all").toString(), "--http", "127.0.0.1:" + http, "--listen", "tcp:127.0.0.1:" + tcp,
                        "--role", "Full access")) {
            node.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
            String out = node.output();
            assertTrue(out.contains("listening  http://127.0.0.1:" + http + "/"), out);
            assertTrue(out.contains("host       tcp:127.0.0.1:" + tcp), out);
            String base = "http://127.0.0.1:" + http;
            HttpClient client = HttpClient.newHttpClient();
            Login login = setUp(client, base, out);
            String cookie = login.cookie();
            String csrf = login.csrf();
            HttpResponse<String> state = client.send(HttpRequest.newBuilder(URI.create(base + "/api/state"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(state.body().contains("\"local\":\"tcp:127.0.0.1:" + tcp + "\""), state.body());
            HttpResponse<String> connect = client.send(HttpRequest.newBuilder(URI.create(base + "/api/connect"))
                    .header("Cookie", cookie).header("X-Tandem-Csrf", csrf).header("Origin", base)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"local\":true}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, connect.statusCode(), connect.body());
            assertTrue(connect.body().contains("\"role\":\"Full access\""), connect.body());
            String id = connect.body().replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");
            java.util.concurrent.CompletableFuture<String> layout = new java.util.concurrent.CompletableFuture<>();
            java.net.http.WebSocket ws = client.newWebSocketBuilder().header("Origin", base).header("Cookie", cookie)
                    .buildAsync(URI.create("ws://127.0.0.1:" + http + "/ws/screen?connection=" + id + "&csrf=" + csrf),
                            new java.net.http.WebSocket.Listener() {
                                @Override
                                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w,
                                        CharSequence data, boolean last) {
                                    layout.complete(data.toString());
                                    w.request(1);
                                    return null;
                                }
                            }).join();
            String first = layout.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(first.contains("\"t\":\"layout\"") && first.contains("\"width\":800"), first);
            ws.abort();
        }
    }

    @Test
    void everyConsoleRequestAndSocketIsRefusedWithoutALogin() throws Exception {
        int port = freePort();
        try (NodeProcess console = console(tmp.resolve("console"), port)) {
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            List<String> routes = List.of("POST /api/logout", "GET /api/phonebook", "POST /api/phonebook/save",
                    "POST /api/phonebook/delete", "POST /api/phonebook/folder", "POST /api/phonebook/folder-delete",
                    "POST /api/phonebook/export", "POST /api/phonebook/import", "POST /api/phonebook/export-dwc",
                    "POST /api/phonebook/import-dwc", "GET /api/history", "GET /api/connections", "POST /api/connect",
                    "POST /api/disconnect", "POST /api/message", "POST /api/chat/open", "POST /api/chat/send",
                    "POST /api/chat/end", "GET /api/files/local", "GET /api/files/host", "POST /api/files/transfer",
                    "POST /api/files/mkdir", "POST /api/files/delete", "GET /api/tools", "POST /api/tools/invoke",
                    "GET /api/help", "POST /api/help/take", "POST /api/help/decline",
                    "GET /api/no-such-thing", "GET /ws/events", "GET /ws/screen");
            for (String route : routes) {
                String[] r = route.split(" ");
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r[1] + "?path=/etc&connection=x"))
                        .header("Origin", base).header("Content-Type", "application/json");
                b = r[0].equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString("{\"folder\":\"\"}"));
                HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(401, resp.statusCode(), route + " answered " + resp.body());
                assertTrue(resp.body().contains("log in first"), route + ": " + resp.body());
            }
            // A WebSocket upgrade without a login is refused before it opens.
            java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CompletionException.class, () -> http.newWebSocketBuilder()
                            .header("Origin", base).buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/events"),
                                    new java.net.http.WebSocket.Listener() { }).join());
            assertEquals(401, ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

            // Set the password through the printed link, then try the attacks a login must not allow.
            Login login = setUp(http, base, console.output());
            String cookie = login.cookie();
            assertTrue(login.setup().headers().firstValue("Set-Cookie").orElseThrow().contains("HttpOnly"));
            assertTrue(login.setup().headers().firstValue("Set-Cookie").orElseThrow().contains("SameSite=Strict"));
            String csrf = login.csrf();
            HttpResponse<String> again = http.send(setupRequest(base, login.token(), "another password 123"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, again.statusCode(), "the setup link works once: " + again.body());

            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/api/connections"))
                    .header("Cookie", cookie).header("X-Tandem-Csrf", csrf).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            HttpResponse<String> noCsrf = http.send(HttpRequest.newBuilder(URI.create(base + "/api/connections"))
                    .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, noCsrf.statusCode(), "a request without the CSRF token: " + noCsrf.body());
            HttpResponse<String> crossSite = http.send(HttpRequest.newBuilder(URI.create(base + "/api/disconnect"))
                    .header("Cookie", cookie).header("X-Tandem-Csrf", csrf).header("Origin", "http://evil.example")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, crossSite.statusCode(), "a cross-site request: " + crossSite.body());
            assertTrue(crossSite.body().contains("cross-site requests are refused"), crossSite.body());
            java.util.concurrent.CompletionException crossSocket = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.CompletionException.class, () -> http.newWebSocketBuilder()
                            .header("Origin", "http://evil.example").header("Cookie", cookie)
                            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/events?csrf=" + csrf),
                                    new java.net.http.WebSocket.Listener() { }).join());
            assertEquals(403, ((java.net.http.WebSocketHandshakeException) crossSocket.getCause()).getResponse().statusCode());
            java.net.http.WebSocket socket = http.newWebSocketBuilder().header("Origin", base).header("Cookie", cookie)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/events?csrf=" + csrf),
                            new java.net.http.WebSocket.Listener() { }).join();
            socket.abort();
            HttpResponse<String> logout = http.send(HttpRequest.newBuilder(URI.create(base + "/api/logout"))
                    .header("Cookie", cookie).header("X-Tandem-Csrf", csrf).header("Origin", base)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, logout.statusCode(), logout.body());
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(base + "/api/connections"))
                    .header("Cookie", cookie).header("X-Tandem-Csrf", csrf).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, after.statusCode(), "a logged-out cookie: " + after.body());
        }
    }

    /** The console's HTTPS certificate line: {@code https  certificate FILE, SHA-256 AB:CD:...}. */
    private static final Pattern FINGERPRINT = Pattern.compile("https\\s+certificate (\\S+), SHA-256 ([0-9A-F:]{95})");

    /** A client that trusts exactly the certificate with {@code fingerprint}, as a person comparing it would. */
    private static HttpClient pinned(String fingerprint, java.util.List<String> served) throws Exception {
        javax.net.ssl.X509TrustManager pin = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type)
                    throws java.security.cert.CertificateException {
                String got = org.tandemrc.support.tls.Certificates.colons(
                        org.tandemrc.support.tls.Certificates.fingerprint(chain[0]));
                served.add(got);
                if (!got.equals(fingerprint)) {
                    throw new java.security.cert.CertificateException("served " + got + ", printed " + fingerprint);
                }
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {pin}, null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    @Test
    void theConsoleServesHttpsBeyondLoopbackAndNeverPlainHttp() throws Exception {
        int port = freePort();
        try (NodeProcess plain = NodeProcess.start("console", "--home", tmp.resolve("plain").toString(),
                "--http", "0.0.0.0:" + port)) {
            assertTrue(plain.awaitExit(40_000) != 0, plain.output());
            assertTrue(plain.output().contains("--http 0.0.0.0:" + port + " would serve the console without encryption")
                    && plain.output().contains("Use --https 0.0.0.0:" + port)
                    && plain.output().contains("ssh -L 6580:127.0.0.1:6580"), plain.output());
        }

        Path home = tmp.resolve("console");
        try (NodeProcess console = NodeProcess.start("console", "--home", home.toString(), "--https", "0.0.0.0:" + port)) {
            console.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
            Matcher f = FINGERPRINT.matcher(console.output());
            assertTrue(f.find(), console.output());
            Path certificate = Path.of(f.group(1));
            assertEquals(home.resolve("data/console/https.crt").toAbsolutePath(), certificate);
            assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                    Files.getPosixFilePermissions(home.resolve("data/console/https.key")));
            Matcher s = SETUP.matcher(console.output());
            assertTrue(s.find() && s.group(1).startsWith("https://"), console.output());
            // The printed link, as someone on another machine opens it: its address is one the certificate names.
            String base = s.group(1).substring(0, s.group(1).indexOf("/#setup="));
            List<String> served = new java.util.ArrayList<>();
            HttpClient https = pinned(f.group(2), served);
            Login login = setUp(https, base, console.output());
            assertEquals(List.of(f.group(2)), served.subList(0, 1), "the served certificate is the printed one");
            String cookie = login.setup().headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("Secure") && cookie.contains("HttpOnly"), cookie);

            HttpResponse<String> ok = https.send(HttpRequest.newBuilder(URI.create(base + "/api/connections"))
                    .header("Cookie", login.cookie()).header("X-Tandem-Csrf", login.csrf()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            HttpResponse<String> crossSite = https.send(HttpRequest.newBuilder(URI.create(base + "/api/disconnect"))
                    .header("Cookie", login.cookie()).header("X-Tandem-Csrf", login.csrf())
                    .header("Origin", "https://evil.example").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, crossSite.statusCode(), "a cross-site request: " + crossSite.body());
            java.net.http.WebSocket socket = https.newWebSocketBuilder().header("Origin", base)
                    .header("Cookie", login.cookie())
                    .buildAsync(URI.create(base.replace("https:", "wss:") + "/ws/events?csrf=" + login.csrf()),
                            new java.net.http.WebSocket.Listener() { }).join();
            socket.abort();
            // No plain HTTP on the port.
            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/state")).build(), HttpResponse.BodyHandlers.ofString()));
        }

        // The operator's own PEM pair (OpenSSL's EC key format) is served instead.
        Path key = tmp.resolve("key.pem");
        Path cert = tmp.resolve("cert.pem");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
        openssl("req", "-new", "-x509", "-key", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        String expected = org.tandemrc.support.tls.Certificates.colons(org.tandemrc.support.tls.Certificates.fingerprint(
                org.tandemrc.support.tls.Certificates.certificates(cert).get(0)));
        try (NodeProcess console = NodeProcess.start("console", "--home", home.toString(), "--https",
                "127.0.0.1:" + port, "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            console.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 40_000);
            Matcher f = FINGERPRINT.matcher(console.output());
            assertTrue(f.find(), console.output());
            assertEquals(expected, f.group(2), console.output());
            List<String> served = new java.util.ArrayList<>();
            HttpResponse<String> state = pinned(expected, served).send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/api/state")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, state.statusCode(), state.body());
            assertTrue(state.body().contains("\"loggedIn\":false"), state.body());
        }

        // A key that is not PEM is refused before anything starts, naming the file.
        Files.writeString(key, "not a key\n");
        try (NodeProcess bad = NodeProcess.start("console", "--home", home.toString(), "--https", "127.0.0.1:" + port,
                "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            assertTrue(bad.awaitExit(40_000) != 0, bad.output());
            assertTrue(bad.output().contains("no private key") && bad.output().contains(key.toString()), bad.output());
        }
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "openssl " + String.join(" ", args) + ":\n" + out);
    }
}
