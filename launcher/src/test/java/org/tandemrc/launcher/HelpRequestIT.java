package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.testing.Netns;

/**
 * Help requests between real nodes in network namespaces that forward nothing: the Host ("h") reaches
 * the supporter's Guest ("g", the browser console with help services) only through a Gateway ("w")
 * on the Host's side. The Host user asks for help; the request waits in the console's Help Request
 * list; it is canceled, declined and finally taken, after which the supporter logs on over the link
 * the Host dialed and sends a message. A capture on the Gateway's machine shows neither the problem
 * description nor the message.
 */
class HelpRequestIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final Pattern SETUP = Pattern.compile("setup\\s+(http://\\S+)");

    @TempDir
    Path tmp;

    private Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text + "\n");
    }


    /** The console's API inside the Guest's namespace, with the login cookie and CSRF token once set. */
    private static final class Console {
        final String ns;
        final String base;
        String cookie = "";
        String csrf = "";

        Console(String ns, int port) {
            this.ns = ns;
            this.base = "http://127.0.0.1:" + port;
        }

        /** {@code METHOD /api/PATH} with a JSON body (or none): the status line's code and the body. */
        String[] call(String method, String path, String json) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "curl", "-s", "-S", "-i", "-X", method,
                    "-H", "Origin: " + base, "-H", "X-Tandem-Csrf: " + csrf, "-H", "Cookie: " + cookie,
                    "-H", "Content-Type: application/json", "--max-time", "60"));
            if (json != null) {
                cmd.addAll(List.of("--data-binary", json));
            }
            cmd.add(base + path);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(70, TimeUnit.SECONDS), "curl did not finish");
            assertEquals(0, p.exitValue(), "curl " + method + " " + path + ": " + out);
            int split = out.indexOf("\r\n\r\n");
            String head = out.substring(0, split);
            Matcher c = Pattern.compile("(?im)^Set-Cookie: ([^;]+)").matcher(head);
            if (c.find()) {
                cookie = c.group(1);
            }
            return new String[] {head.split(" ")[1], out.substring(split + 4)};
        }

        String ok(String method, String path, String json) throws Exception {
            String[] r = call(method, path, json);
            assertEquals("200", r[0], method + " " + path + ": " + r[1]);
            return r[1];
        }

        /** Polls {@code GET /api/help} until its body passes {@code test}. */
        String helpUntil(Predicate<String> test, String what) throws Exception {
            long deadline = System.currentTimeMillis() + 20_000;
            String body = "";
            while (System.currentTimeMillis() < deadline) {
                body = ok("GET", "/api/help", null);
                if (test.test(body)) {
                    return body;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the console's help list never showed " + what + ": " + body);
        }
    }

    private static String id(String helpJson) {
        Matcher m = Pattern.compile("\"id\":\"([0-9a-f]+)\"").matcher(helpJson);
        assertTrue(m.find(), helpJson);
        return m.group(1);
    }

    /**
     * The Guest in "g" (10.208.1.1; help desk on tcp 6503, console on its own loopback), the Gateway in
     * "w" (10.208.2.1 towards the Host, tcp 6502; 10.208.1.2 towards the Guest), the Host in "h"
     * (10.208.2.2) with a gateway profile to w.
     */
    @Test
    void aHostBehindAGatewayAsksForHelpAndTheSupporterTakesItInTheConsole() throws Exception {
        String secret = Long.toHexString(new Random().nextLong());
        String problem = "the printer prints only question marks " + secret;
        String message = "a technician is on the way " + secret;
        try (Netns net = new Netns("hr")) {
            net.chain("10.208", 1, "g", "w", "h");

            Path guestHome = tmp.resolve("guest");
            Homes.write(guestHome, Homes.defaults());
            Homes.write(guestHome, Map.of("node.properties", "features = comm-tcp, sessions, log-file\n",
                    "org.tandemrc.guest.helpdesk.cfg", "services = Support, Billing\nlisten = tcp:10.208.1.1:6503\n"));
            Path gwHome = tmp.resolve("gateway");
            Homes.write(gwHome, Homes.defaults());
            Homes.write(gwHome, Map.of(
                    "node.properties", "features = comm-tcp, log-file\n",
                    "org.tandemrc.profile-default.cfg", "device = tcp\nbind = 10.208.2.1\nport = 6502\n",
                    "org.tandemrc.profile-desk.cfg", "device = tcp\nenabled = false\n",
                    "org.tandemrc.gateway.group-helpdesk.cfg", "profiles = desk\n",
                    "org.tandemrc.gateway.cfg", "name = branch-gateway\n"));
            Path gwPw = file("gateway-pw", "the branch's gateway logon");
            Path hostHome = tmp.resolve("host");
            Homes.host(hostHome, "reception-pc", "comm-tcp, comm-gateway, sessions, terminal, log-file", Map.of(
                    "org.tandemrc.profile-lan.cfg", "device = tcp\nbind = 10.208.2.2\nport = 6502\n",
                    "org.tandemrc.profile-outside.cfg", "device = gateway\nenabled = false\ngateway = tcp:10.208.2.1:6502\n"
                            + "group = helpdesk\nuser = reception\npassword-file = " + gwPw + "\n",
                    "org.tandemrc.host.help.cfg", "provider = Support\naddress = gateway:10.208.1.1:6503\n"
                            + "profile = outside\n"));
            int port = 6580;
            try (NodeProcess console = NodeProcess.startIn(net.ns("g"), Map.of(), "console", "--home",
                    guestHome.toString(), "--http", "127.0.0.1:" + port);
                    NodeProcess gateway = NodeProcess.startIn(net.ns("w"), Map.of(), "gateway", "--home",
                            gwHome.toString());
                    NodeProcess host = NodeProcess.startOnTerminalIn(net.ns("h"), Map.of(), "host", "--home",
                            hostHome.toString(), "--password-file", file("host-pw", PASSWORD).toString())) {
                for (NodeProcess n : List.of(console, gateway, host)) {
                    n.awaitLine(l -> l.contains("Stop with Ctrl+C") || l.startsWith("tandem:"), 60_000);
                    assertTrue(n.output().contains("node is up"), n.output());
                }
                NodeProcess.Result r = NodeProcess.admin(gwHome, "gateway", "user", "add", "reception", "--password-file",
                        gwPw.toString(), "--groups", "helpdesk", "--allow", "10.208.1.1:6503");
                assertEquals(0, r.status(), r.out() + r.err());
                assertFalse(Netns.canReach(net.ns("h"), "10.208.1.1", 6503), "the Host reaches the Guest directly");
                assertTrue(Netns.canReach(net.ns("w"), "10.208.1.1", 6503), "the Gateway reaches the help desk");

                r = NodeProcess.admin(guestHome, "helpdesk");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("services:  Support, Billing"), r.out());
                assertTrue(r.out().contains("listening: tcp:10.208.1.1:6503"), r.out());

                Matcher s = SETUP.matcher(console.output());
                assertTrue(s.find(), console.output());
                Console web = new Console(net.ns("g"), port);
                String token = s.group(1).substring(s.group(1).indexOf("#setup=") + 7);
                String setup = web.ok("POST", "/api/setup", "{\"token\":\"" + token
                        + "\",\"password\":\"a good console password\"}");
                web.csrf = setup.replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");
                String help = web.ok("GET", "/api/help", null);
                assertTrue(help.contains("\"offered\":true") && help.contains("\"requests\":[]"), help);

                // A service this Guest does not offer is refused with what it offers.
                r = NodeProcess.admin(hostHome, "help", "request", "--provider", "Payroll");
                assertEquals(1, r.status(), r.out() + r.err());
                assertTrue(r.err().contains("offers no help service 'Payroll' (it offers Support, Billing)"), r.err());

                // Pending, then canceled by the Host user: it leaves the supporter's list.
                r = NodeProcess.admin(hostHome, "help", "request", "--problem", "first try");
                assertEquals(0, r.status(), r.out() + r.err());
                assertTrue(r.out().contains("help request sent to Support at gateway:10.208.1.1:6503; pending"), r.out());
                help = web.helpUntil(b -> b.contains("first try"), "the first request");
                assertTrue(help.contains("\"hostName\":\"reception-pc\"") && help.contains("\"service\":\"Support\""), help);
                assertTrue(help.contains("\"address\":\"10.208.1.2"), "it came from the Gateway: " + help);
                r = NodeProcess.admin(hostHome, "help", "request", "--problem", "again");
                assertEquals(1, r.status(), "one request at a time: " + r.out() + r.err());
                assertTrue(r.err().contains("already pending"), r.err());
                r = NodeProcess.admin(hostHome, "help", "cancel");
                assertEquals(0, r.status(), r.out() + r.err());
                web.helpUntil(b -> b.contains("\"requests\":[]"), "the canceled request gone");
                r = NodeProcess.admin(hostHome, "help", "status");
                assertTrue(r.out().contains("ended: help from Support") && r.out().contains("canceled: by the Host user"),
                        r.out());

                // Declined by a supporter on the Guest's command line: the Host is told why.
                r = NodeProcess.admin(hostHome, "help", "request", "--provider", "billing", "--problem", "second try");
                assertEquals(0, r.status(), r.out() + r.err());
                help = web.helpUntil(b -> b.contains("second try"), "the second request");
                assertTrue(help.contains("\"service\":\"Billing\""), "the service is named as the Guest spells it: " + help);
                r = NodeProcess.admin(guestHome, "helpdesk", "decline", id(help), "billing", "closes", "at", "five");
                assertEquals(0, r.status(), r.out() + r.err());
                String[] status = {""};
                long deadline = System.currentTimeMillis() + 10_000;
                while (!status[0].contains("billing closes at five") && System.currentTimeMillis() < deadline) {
                    status[0] = NodeProcess.admin(hostHome, "help", "status").out();
                    Thread.sleep(200);
                }
                assertTrue(status[0].contains("refused: billing closes at five"), status[0]);

                // Taken: the supporter logs on over the Host's link and sends a message; the Gateway's
                // machine sees neither the problem nor the message.
                try (Capture capture = Capture.start(net.ns("w"), tmp.resolve("gateway.pcap"))) {
                    r = NodeProcess.admin(hostHome, "help", "request", "--problem", problem, "--timeout", "30");
                    assertEquals(0, r.status(), r.out() + r.err());
                    help = web.helpUntil(b -> b.contains(secret), "the third request");
                    String[] wrong = web.call("POST", "/api/help/take", "{\"id\":\"" + id(help)
                            + "\",\"password\":\"not the password\"}");
                    assertEquals("502", wrong[0], wrong[1]);
                    assertTrue(wrong[1].contains("logon failed"), wrong[1]);
                    web.helpUntil(b -> b.contains("\"requests\":[]"), "the request gone after the failed logon");
                    r = NodeProcess.admin(hostHome, "help", "status");
                    assertTrue(r.out().contains("ended:") && r.out().contains("taken by"), r.out());

                    r = NodeProcess.admin(hostHome, "help", "request", "--problem", problem);
                    assertEquals(0, r.status(), r.out() + r.err());
                    help = web.helpUntil(b -> b.contains(secret), "the fourth request");
                    String taken = web.ok("POST", "/api/help/take", "{\"id\":\"" + id(help) + "\",\"password\":\""
                            + PASSWORD + "\"}");
                    assertTrue(taken.contains("\"hostName\":\"reception-pc\"") && taken.contains("\"role\":\"Full access\""),
                            taken);
                    assertTrue(taken.contains("\"label\":\"help request: Support: " + problem + "\""), taken);
                    String connection = taken.replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");
                    r = NodeProcess.admin(hostHome, "help", "status");
                    assertTrue(r.out().startsWith("taken: help from Support"), r.out());
                    String sent = web.ok("POST", "/api/message", "{\"connection\":\"" + connection + "\",\"text\":\""
                            + message + "\"}");
                    assertTrue(sent.contains("Message delivered."), sent);
                    host.awaitLine(l -> l.contains(message), 10_000);
                    assertTrue(web.ok("GET", "/api/history", null).contains("help request: Support"), "history");
                    byte[] pcap = capture.stop();
                    assertTrue(pcap.length > 2_000, "the capture is nearly empty: " + capture);
                    assertNull(Capture.firstFound(pcap, List.of(Capture.utf8(secret), Capture.utf8(PASSWORD)),
                            List.of("the problem or the message", "the Host password")),
                            "plaintext crossed the Gateway's machine");
                }

                String hostLog = Files.readString(hostHome.resolve("data/log/tandem.log"));
                assertTrue(hostLog.contains("HACTHLPRQ+ peer=gateway:10.208.1.1:6503 user= Support, first try"), hostLog);
                assertTrue(hostLog.contains("HACTHLPRQ- peer=gateway:10.208.1.1:6503 user= by the Host user"), hostLog);
                String guestLog = Files.readString(guestHome.resolve("data/log/tandem.log"));
                for (String code : List.of("GACTHLPSV+", "GACTHLPRQ+", "GACTHLPRQ-")) {
                    assertTrue(guestLog.contains(code), code + " missing: " + guestLog);
                }
                assertTrue(guestLog.contains("declined (billing closes at five)"), guestLog);
                String gwLog = Files.readString(gwHome.resolve("data/log/tandem.log"));
                assertTrue(gwLog.contains("TGWROUTE+ peer=10.208.2.2 user=reception helpdesk 10.208.1.1:6503"), gwLog);
            }
        }
    }
}
