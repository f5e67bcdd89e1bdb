package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party tool of {@code examples/disk-space-tool}, as the README's walkthrough has a newcomer
 * make it: built by Maven outside the reactor against the installed API and kit jars, copied into a
 * running Host's {@code deploy/}, then used from {@code tandem guest tool} and from the browser console's
 * tools requests. Before the jar is copied the Host has no such tool, so the test cannot pass without it.
 */
class ExampleToolIT {

    private static final String PASSWORD = "example tool host password";
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String VERSION = System.getProperty("tandem.version", "0.1.0-SNAPSHOT");
    private static final String INSTALL_FILE = "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file";
    private static final Pattern SETUP = Pattern.compile("setup\\s+(http://\\S+)");

    @TempDir
    Path tmp;

    @Test
    void aToolBuiltOutsideTheReactorIsDeployedAndUsedFromTheCommandLineAndTheConsole() throws Exception {
        Path jar = buildExample();

        Path home = tmp.resolve("host");
        Path pw = Files.writeString(tmp.resolve("host-pw"), PASSWORD + "\n");
        try (NodeProcess host = NodeProcess.host(home, pw, Map.of(), false, Map.of())) {
            String address = host.tcpAddress();
            NodeProcess.Result r = guest("tools", address);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(!r.out().contains("(disk-space)"), "the Host has the tool before it was deployed:\n" + r.out());

            Files.copy(jar, home.resolve("deploy/disk-space-tool.jar"), StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.currentTimeMillis() + 30_000;
            while (!r.out().contains("Examples\n  Disk Space (disk-space)\n    list  List file systems\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "the deployed tool is not offered:\n" + r.out()
                        + r.err() + "\n" + host.output());
                Thread.sleep(500);
                r = guest("tools", address);
            }

            r = guest("tool", address, "disk-space", "list");
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().split("\n")[0].matches("\\s*File system\\s+Type\\s+Size\\s+Free\\s*"), r.out());
            assertTrue(r.out().matches("(?s).*\\n/ \\(\\S+\\)\\s+\\S+\\s+[\\d.]+ [KMGT]?i?B.*"), r.out());

            consoleUses(address);
        }
    }

    /** Installs this build's API and kit jars, as {@code mvn install} would, and builds a copy of the example. */
    private Path buildExample() throws Exception {
        Path api = ROOT.resolve("bundles/org.tandemrc.api/target/org.tandemrc.api-" + VERSION + ".jar");
        Path apiTests = ROOT.resolve("bundles/org.tandemrc.api/target/org.tandemrc.api-" + VERSION + "-tests.jar");
        Path kit = ROOT.resolve("bundles/org.tandemrc.toolkit/target/org.tandemrc.toolkit-" + VERSION + ".jar");
        mvn(tmp, INSTALL_FILE, "-Dfile=" + api, "-DgroupId=org.tandemrc", "-DartifactId=org.tandemrc.api",
                "-Dversion=" + VERSION, "-Dpackaging=jar", "-DgeneratePom=true");
        mvn(tmp, INSTALL_FILE, "-Dfile=" + apiTests, "-DgroupId=org.tandemrc",
                "-DartifactId=org.tandemrc.api", "-Dversion=" + VERSION, "-Dpackaging=jar", "-Dclassifier=tests");
        mvn(tmp, INSTALL_FILE, "-Dfile=" + kit, "-DgroupId=org.tandemrc",
                "-DartifactId=org.tandemrc.toolkit", "-Dversion=" + VERSION, "-Dpackaging=jar", "-DgeneratePom=true");

        Path src = ROOT.resolve("examples/disk-space-tool");
        Path copy = tmp.resolve("disk-space-tool");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files.filter(f -> !src.relativize(f).startsWith("target"))::iterator) {
                Path to = copy.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        mvn(copy, "package", "-Dtandem.version=" + VERSION);
        Path jar = copy.resolve("target/disk-space-tool-1.0.0.jar");
        assertTrue(Files.isRegularFile(jar), "the example built no jar");
        return jar;
    }

    private static void mvn(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q"));
        // Offline when the build that runs this test is (the mvn script exports its arguments).
        String outer = " " + System.getenv().getOrDefault("MAVEN_CMD_LINE_ARGS", "") + " ";
        if (outer.contains(" -o ") || outer.contains(" --offline ")) {
            cmd.add("-o");
        }
        String repo = System.getProperty("tandem.m2");
        if (repo != null && !repo.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
    }

    private NodeProcess.Result guest(String... args) throws Exception {
        return NodeProcess.run(NodeProcess.guestArgs(tmp, PASSWORD, args));
    }

    /** The console's tools requests, as its generic tools pane sends them. */
    private void consoleUses(String address) throws Exception {
        int port = ConsoleIT.freePort();
        try (NodeProcess console = ConsoleIT.console(tmp.resolve("console"), port)) {
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            Matcher s = SETUP.matcher(console.output());
            assertTrue(s.find(), console.output());
            String token = s.group(1).substring(s.group(1).indexOf("#setup=") + 7);
            HttpResponse<String> setup = http.send(HttpRequest.newBuilder(URI.create(base + "/api/setup"))
                    .header("Origin", base).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token
                            + "\",\"password\":\"a good console password\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, setup.statusCode(), setup.body());
            String cookie = setup.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String csrf = setup.body().replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");

            HttpResponse<String> connect = post(http, base, cookie, csrf, "/api/connect",
                    "{\"address\":\"" + address + "\",\"password\":\"" + PASSWORD + "\"}");
            assertEquals(200, connect.statusCode(), connect.body());
            String id = connect.body().replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");

            HttpResponse<String> tools = http.send(HttpRequest.newBuilder(URI.create(base + "/api/tools?connection=" + id))
                    .header("Cookie", cookie).header("X-Tandem-Csrf", csrf).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, tools.statusCode(), tools.body());
            assertTrue(tools.body().contains("\"disk-space\"") && tools.body().contains("\"Disk Space\""), tools.body());

            HttpResponse<String> list = post(http, base, cookie, csrf, "/api/tools/invoke", "{\"connection\":\"" + id
                    + "\",\"tool\":\"disk-space\",\"operation\":\"list\",\"arguments\":{}}");
            assertEquals(200, list.statusCode(), list.body());
            assertTrue(list.body().contains("\"File system\"") && list.body().contains("\"/ ("), list.body());
        }
    }

    private static HttpResponse<String> post(HttpClient http, String base, String cookie, String csrf, String path,
            String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                .header("X-Tandem-Csrf", csrf).header("Origin", base).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
