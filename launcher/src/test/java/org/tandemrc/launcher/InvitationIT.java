package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tandemrc.launcher.Homes.events;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.screen.x11.testing.Xvfb;

/**
 * The person at a Host invites a supporter (Remote Assistance the other way round), with the real CLI on
 * both sides: a wrong password is refused, the right one accepted, a Host key other than the
 * invitation's refused before any password, an expired invitation refused; resend keeps ID and expiry.
 */
class InvitationIT {

    private static final String INVITATION_PASSWORD = "tell me by phone";
    private static final Pattern CREATED = Pattern.compile("invitation (\\S+) valid until (\\S+), role");
    private static final Pattern LINE = Pattern.compile("tandem-invitation:[A-Za-z0-9_-]+");

    @TempDir
    Path tmp;

    private NodeProcess.Result guest(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "guest";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--home";
        all[args.length + 2] = tmp.resolve("guest-home").toString();
        return NodeProcess.run(all);
    }

    @Test
    void wrongPasswordRefusedRightOneAcceptedOtherKeyRefusedExpiredRefused() throws Exception {
        Path home = tmp.resolve("host");
        Path hostPassword = Files.writeString(tmp.resolve("host-pw"), "the shared one, not used here\n");
        Path invitationPassword = Files.writeString(tmp.resolve("inv-pw"), INVITATION_PASSWORD + "\n");
        Path wrong = Files.writeString(tmp.resolve("wrong-pw"), "not the password\n");
        try (NodeProcess host = NodeProcess.host(home, hostPassword, Map.of(), false, Map.of())) {
            Path file = tmp.resolve("help.tandem-invitation");
            // A role without confirmation: no person answers a dialog in this test.
            NodeProcess.Result made = NodeProcess.admin(home, "invitation", "new", "--password-file",
                    invitationPassword.toString(), "--expires-minutes", "30", "--role", "Full access", "--out",
                    file.toString());
            assertEquals(0, made.status(), made.out() + made.err());
            Matcher m = CREATED.matcher(made.out());
            assertTrue(m.find(), made.out());
            String id = m.group(1);
            Matcher line = LINE.matcher(made.out());
            assertTrue(line.find(), "the mail text holds the line:\n" + made.out());
            assertTrue(made.out().contains("by phone"), made.out());
            String invitation = Files.readString(file);
            assertTrue(invitation.contains("address=tcp:127.0.0.1:" + host.tcpPort()), invitation);
            assertFalse(invitation.contains(INVITATION_PASSWORD) || made.out().contains(INVITATION_PASSWORD));
            Path store = home.resolve("data/invitations");
            assertFalse(Files.readString(store).contains(INVITATION_PASSWORD), "only a verifier on the Host");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));

            NodeProcess.Result r = guest("connect", "--invitation", file.toString(), "--password-file", wrong.toString());
            assertEquals(5, r.status(), r.out() + r.err());
            r = guest("connect", "--invitation", file.toString(), "--password-file", invitationPassword.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("role        Full access"), r.out());
            assertTrue(r.out().contains("matches the key the invitation names"), r.out());
            r = guest("connect", "--invitation", line.group(), "--password-file", invitationPassword.toString());
            assertEquals(0, r.status(), "the line works as the file does: " + r.out() + r.err());

            // Resend: the same invitation again, ID and expiry unchanged.
            Path again = tmp.resolve("again.tandem-invitation");
            r = NodeProcess.admin(home, "invitation", "resend", id, "--out", again.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals(invitation, Files.readString(again));

            // An invitation whose key is not the Host's: refused before any password is used.
            Path forged = Files.writeString(tmp.resolve("forged.tandem-invitation"),
                    invitation.replaceAll("fingerprint=\\S+", "fingerprint=SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
            long rejectedBefore = count(events(home), "SECPW!");
            r = guest("connect", "--invitation", forged.toString(), "--password-file", invitationPassword.toString());
            assertEquals(4, r.status(), r.out() + r.err());
            assertEquals(rejectedBefore, count(events(home), "SECPW!"), "no proof reached the Host");

            r = NodeProcess.admin(home, "invitation", "expire", id);
            assertEquals(0, r.status(), r.out() + r.err());
            r = guest("connect", "--invitation", file.toString(), "--password-file", invitationPassword.toString());
            assertEquals(5, r.status(), r.out() + r.err());
            assertTrue(r.err().contains("expired by the person"), r.err());
            r = NodeProcess.admin(home, "invitation", "list");
            assertTrue(r.out().contains(id + "  expired by the person"), r.out());

            String events = events(home);
            for (String code : new String[] {"HSECINV+", "HSECINV*", "HSECINVUSE", "HSECINV!", "HSECINV-"}) {
                assertTrue(events.contains(code), code + " in\n" + events);
            }
            r = NodeProcess.admin(home, "invitation", "delete", id);
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(events(home).contains("HSECINVDEL"));
        }
    }

    @Test
    void theConsoleOpensAnInvitation() throws Exception {
        Path home = tmp.resolve("host");
        Path hostPassword = Files.writeString(tmp.resolve("host-pw"), "the shared one, not used here\n");
        Path invitationPassword = Files.writeString(tmp.resolve("inv-pw"), INVITATION_PASSWORD + "\n");
        Path dir = ConsoleIT.browserTest();
        Path shots = Files.createDirectories(ConsoleIT.SCREENSHOTS.toAbsolutePath());
        // On a desktop, with the invitation's default role (Attended support): the person allows access.
        try (Xvfb x = Xvfb.start(1024, 768, Files.createDirectories(tmp.resolve("fb")));
                NodeProcess host = NodeProcess.host(home, hostPassword, Map.of("DISPLAY", x.display), false,
                Map.of("org.tandemrc.host.security.cfg", "name = invited-host\n"))) {
            NodeProcess.Result made = NodeProcess.admin(home, "invitation", "new", "--password-file",
                    invitationPassword.toString(), "--out", tmp.resolve("i").toString());
            assertEquals(0, made.status(), made.out() + made.err());
            Matcher line = LINE.matcher(made.out());
            assertTrue(line.find(), made.out());
            int port = ConsoleIT.freePort();
            Homes.write(tmp.resolve("console"), Homes.defaults());
            try (NodeProcess console = ConsoleIT.console(tmp.resolve("console"), port)) {
                String config = "{\"setupUrl\":\"" + ConsoleIT.setupUrl(console) + "\",\"consolePassword\":\"a good console password\","
                        + "\"line\":\"" + line.group() + "\",\"password\":\"" + INVITATION_PASSWORD + "\","
                        + "\"hostName\":\"invited-host\",\"chromium\":\"" + ConsoleIT.chromium()
                        + "\",\"screenshots\":\"" + shots + "\"}";
                try (NodeProcess browser = NodeProcess.command(Map.of("TANDEM_TEST_CONFIG", config, "DISPLAY", ""), dir,
                        "node", "invitation-test.mjs")) {
                    String asking = browser.awaitLine(l -> l.startsWith("STEP asking-access") || l.startsWith("FAILED"),
                            120_000);
                    assertTrue(asking.startsWith("STEP asking-access"), browser.output());
                    String dialog = HostDesktopIT.window(x, home, "Confirm access", "asking on the desktop", 1);
                    String asked = HostDesktopIT.logged(home, "asking on the desktop").get(0);
                    assertTrue(asked.contains("invitation:") && asked.contains("Attended support"), asked);
                    HostDesktopIT.keys(x, dialog, "alt+a");
                    browser.type("go asking-access");
                    assertEquals(0, browser.awaitExit(120_000), browser.output());
                    assertTrue(browser.output().contains("STEP refused") && browser.output().contains("STEP done"),
                            browser.output());
                }
            }
            String events = events(home);
            assertTrue(events.contains("HSECINV!") && events.contains("HSECINVUSE"), events);
        }
    }

    private static long count(String events, String code) {
        return events.split(Pattern.quote(code), -1).length - 1;
    }
}
