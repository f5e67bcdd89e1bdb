package org.tandemrc.support.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerTextTest {

    @Test
    void lineEndsAndTabsCannotStartALineOrColumn() {
        String forged = "bob\n2026-12-04 19:00:00.000 INFO    [org.tandemrc.host.audit] HSES+ peer=10.0.0.9 user=admin logged on";
        String out = PeerText.escape(forged);
        assertFalse(out.contains("\n"));
        assertEquals("bob\\n2026-12-04 19:00:00.000 INFO    [org.tandemrc.host.audit] HSES+ peer=10.0.0.9 user=admin"
                + " logged on", out);
        assertEquals("a\\r\\nb\\tc", PeerText.escape("a\r\nb\tc"));
        assertEquals("x\\u2028y\\u2029z\\x85", PeerText.escape("x\u2028y\u2029z\u0085"));
    }

    @Test
    void terminalCommandsAreShownNotObeyed() {
        assertEquals("hi\\x1b[2J\\x1b]0;pwned\\x07 \\x9b31m", PeerText.escape("hi\u001b[2J\u001b]0;pwned\u0007 \u009b31m"));
        assertEquals("\\x00\\x7f", PeerText.escape("\0\u007f"));
    }

    @Test
    void reorderingAndInvisibleCharactersAreShown() {
        assertEquals("invoice\\u202egnp.exe", PeerText.escape("invoice\u202Egnp.exe"));
        assertEquals("\\ufeffa\\u200bb\\u2066c", PeerText.escape("\uFEFFa\u200Bb\u2066c"));
        assertEquals("lone \\ud800", PeerText.escape("lone \uD800"));
    }

    @Test
    void theEscapingCanBeReadBack() {
        // A peer that types the escape itself cannot pass it off as an escaped control character.
        assertEquals("a\\\\nb", PeerText.escape("a\\nb"));
        assertEquals("C:\\\\Users", PeerText.escape("C:\\Users"));
    }

    @Test
    void ordinaryTextOfAnyScriptIsKept() {
        String s = "Grüße 日本 😀 👩‍💻 ok";
        assertSame(s, PeerText.escape(s));
        assertTrue(PeerText.clean(s));
        assertEquals("", PeerText.escape(null));
    }
}
