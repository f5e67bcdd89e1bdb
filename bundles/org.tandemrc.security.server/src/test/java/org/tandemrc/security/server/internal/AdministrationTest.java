package org.tandemrc.security.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.security.server.admin.SecurityAdministration;
import org.tandemrc.security.server.admin.SecurityAdministration.By;

/**
 * The administration the command and the console share: its checks, the event of each change naming who
 * made it and from where, and the one-time code's QR code as SVG.
 */
class AdministrationTest {

    private static final By CONSOLE = new By("alice", "console 10.0.0.9");

    @Test
    void everyChangeIsAnEventNamingWhoMadeIt() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            SecurityAdministration a = new Administration(f.server);
            char[] password = "opsie's password".toCharArray();
            assertFalse(a.putGuest("opsie", password, List.of("ops"), CONSOLE));
            assertTrue(new String(password).chars().allMatch(c -> c == 0), "the password is cleared");
            assertEquals(1, a.addRule(0, "group:ops", "db-*", "Full access", CONSOLE));
            SecurityAdministration.Enrolment e = a.enrol("opsie", CONSOLE);
            assertTrue(e.uri().startsWith("otpauth://totp/") && e.uri().contains("secret=" + e.secret()), e.uri());
            assertTrue(e.qrSvg().startsWith("<svg ") && e.qrSvg().endsWith("</svg>") && !e.qrSvg().contains(e.secret()),
                    "the SVG holds the code's modules, not the secret as text");
            a.requireOtp("opsie", true, CONSOLE);
            a.disableGuest("opsie", true, CONSOLE);
            SecurityAdministration.GuestInfo g = a.guests().get(0);
            assertTrue(g.disabled() && g.otpEnrolled() && g.otpRequired() && g.groups().equals(List.of("ops")), g.toString());
            a.removeRule(1, CONSOLE);
            a.deleteGuest("opsie", CONSOLE);
            List<AuditEvent> changes = f.events("TSECSS*");
            assertEquals(7, changes.size(), changes.toString());
            for (AuditEvent ev : changes) {
                assertEquals("alice", ev.user());
                assertEquals("console 10.0.0.9", ev.peer());
                assertFalse(ev.detail().contains("opsie's password"));
            }
        }
    }

    @Test
    void badInputIsRefusedWithASentenceAndRecordsNothing() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            SecurityAdministration a = new Administration(f.server);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.putGuest("a,b", "pw".toCharArray(), List.of(),
                    CONSOLE)).getMessage().contains("without a comma"));
            assertEquals("the password is empty", assertThrows(IllegalArgumentException.class,
                    () -> a.putGuest("bob", new char[0], List.of(), CONSOLE)).getMessage());
            assertEquals("there is no Guest ID bob", assertThrows(IllegalArgumentException.class,
                    () -> a.putGuest("bob", "pw".toCharArray(), null, CONSOLE)).getMessage());
            assertEquals("no node with the key SHA256:x has connected", assertThrows(IllegalArgumentException.class,
                    () -> a.approve("SHA256:x", null, List.of(), CONSOLE)).getMessage());
            assertEquals("there is no rule 3", assertThrows(IllegalArgumentException.class,
                    () -> a.removeRule(3, CONSOLE)).getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> a.requireOtp("bob", true, CONSOLE))
                    .getMessage().contains("has not enrolled"));
            assertThrows(IllegalArgumentException.class, () -> a.addRule(-1, "*", "*", "View only", CONSOLE));
            assertTrue(f.events("TSECSS*").isEmpty() && f.events("TSECSSNODE").isEmpty());
        }
    }
}
