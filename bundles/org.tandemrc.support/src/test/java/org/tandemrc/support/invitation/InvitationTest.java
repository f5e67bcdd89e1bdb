package org.tandemrc.support.invitation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The invitation's file and line: written and read back, every hostile form refused with a reason. */
class InvitationTest {

    @TempDir
    Path dir;

    private final Invitation invitation = new Invitation("AbCdEfGhIjKlMnOpQrStUv", "desk-1",
            List.of("tcp:192.0.2.7:6502", "webconnect:desk-1"), "SHA256:q0Jx1n2Ck0cH2bq3J9Q2m8jR0tq5fQ8tQ3x8A0c6y1E",
            Instant.parse("2026-12-05T11:00:00Z"));

    @Test
    void theFileTheLineAndASavedMailReadBack() throws Exception {
        assertEquals(invitation, Invitation.parse(invitation.text()));
        assertEquals(invitation, Invitation.parseLine(invitation.line()));
        Path file = dir.resolve("a" + Invitation.FILE_SUFFIX);
        invitation.write(file);
        assertEquals(invitation, Invitation.read(file.toString()));
        assertEquals(invitation, Invitation.read(invitation.line()));
        String mail = invitation.mail(ZoneId.of("Europe/Berlin"), Locale.ENGLISH);
        Path saved = Files.writeString(dir.resolve("mail.txt"), mail);
        assertEquals(invitation, Invitation.read(saved.toString()), "a saved mail is read by its line");
        assertTrue(mail.contains("12:00") && mail.contains("Europe/Berlin"), "the expiry in the person's time: " + mail);
        assertTrue(mail.contains("by phone"), mail);
        assertEquals("invitation:AbCdEfGhIjKlMnOpQrStUv", invitation.logonName());
    }

    @Test
    void refusesWhatIsNotAnInvitation() throws Exception {
        String text = invitation.text();
        for (String bad : List.of("", "tandem-invitation=2\n" + text.substring(text.indexOf('\n') + 1),
                text + "password=secret\n", text + "id=AbCdEfGhIjKlMnOpQrStUv\n", text.replace("id=AbCd", "id=..Cd"),
                text.replace("address=tcp:192.0.2.7:6502", "address=tcp:192.0.2.7:6502\u0007"),
                text.replaceAll("address=.*\n", ""), text.replace("expires=2026", "expires=x2026"),
                text + "address=tcp:a:1\n".repeat(Invitation.MAX_ADDRESSES))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Invitation.parse(bad), bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
        assertThrows(IllegalArgumentException.class, () -> Invitation.parseLine("tandem-invitation:%%%"));
        assertThrows(IllegalArgumentException.class,
                () -> Invitation.parseLine("tandem-invitation:" + "A".repeat(Invitation.MAX_BYTES * 2)));
        Path big = Files.write(dir.resolve("big"), new byte[Invitation.MAX_BYTES + 1]);
        assertThrows(IllegalArgumentException.class, () -> Invitation.read(big.toString()));
    }
}
