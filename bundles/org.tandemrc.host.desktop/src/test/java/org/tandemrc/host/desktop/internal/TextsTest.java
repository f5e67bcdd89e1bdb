package org.tandemrc.host.desktop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.consent.ConsentKind;
import org.tandemrc.api.security.Privilege;

class TextsTest {

    private final Texts texts = new Texts(Locale.ENGLISH);

    @Test
    void everyPrivilegeAndEveryKindOfQuestionHasItsOwnWords() {
        for (Privilege p : Privilege.values()) {
            String said = texts.allows(Set.of(p)).get(0);
            assertFalse(said.contains("_"), p + " falls back to its enum name: " + said);
        }
        for (ConsentKind k : ConsentKind.values()) {
            assertTrue(texts.get("ask." + k.name() + ".title", "alice").contains("alice"), k.name());
            assertTrue(texts.get("ask." + k.name() + ".heading", "alice").contains("alice"), k.name());
        }
    }

    @Test
    void aRoleIsDescribedOneItemPerPrivilegeInTheRolesOrder() {
        assertEquals(List.of("see your screen", "chat with you"),
                texts.allows(EnumSet.of(Privilege.CHAT, Privilege.VIEW_SCREEN)));
        assertEquals(List.of("nothing"), texts.allows(Set.of()));
    }

    @Test
    void mnemonicsAreTheFirstLetterOfTheirButtons() {
        assertEquals('A', texts.mnemonic("button.allow.mnemonic"));
        assertEquals(Character.toUpperCase(texts.get("button.allow").charAt(0)), texts.mnemonic("button.allow.mnemonic"));
        assertEquals(Character.toUpperCase(texts.get("button.deny").charAt(0)), texts.mnemonic("button.deny.mnemonic"));
    }

    @Test
    void aFileIsSavedOrCancelledAndItsNameAndSizeAreSaid() {
        assertEquals("ask.FILE_PUSH.allow", texts.either("ask.FILE_PUSH.allow", "button.allow"));
        assertEquals("button.allow", texts.either("ask.ACCESS.allow", "button.allow"));
        assertEquals("Save\u2026", texts.get("ask.FILE_PUSH.allow"));
        assertEquals('S', texts.mnemonic("ask.FILE_PUSH.allow.mnemonic"));
        assertEquals('C', texts.mnemonic("ask.FILE_PUSH.deny.mnemonic"));
        assertEquals("offers the file report.pdf (1,234,567 bytes)", texts.get("file.detail", "report.pdf", 1234567L));
        assertEquals("Cancelled automatically in 5 s unless you save it.", texts.get("ask.FILE_PUSH.countdown", 5L));
    }

    @Test
    void theCountdownSaysTheSecondsLeft() {
        assertEquals("Denied automatically in 27 s unless you allow it.", texts.get("countdown", 27L));
    }

    @Test
    void sizesGrowWithTheScreensResolutionNeverShrink() {
        assertEquals(12, Scale.of(96).px(12));
        assertEquals(12, Scale.of(72).px(12));
        assertEquals(24, Scale.of(192).px(12));
        assertEquals(18, Scale.of(144).px(12));
        assertEquals(48, Scale.of(2000).px(12), "capped at 4x");
    }
}
