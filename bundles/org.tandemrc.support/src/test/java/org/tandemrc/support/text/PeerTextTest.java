package org.tandemrc.support.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PeerTextTest {

    @Test
    void aForgedLogLineStaysOnTheLineOfItsPeer() {
        String forged = "bob\n2026-12-04 19:00:00.000 INFO    [org.tandemrc.host.audit] HSES+ peer=10.0.0.9 user=admin logged on";
        String out = PeerText.escape(forged);
        assertFalse(out.contains("\n"));
        assertEquals("bob\\n2026-12-04 19:00:00.000 INFO    [org.tandemrc.host.audit] HSES+ peer=10.0.0.9 user=admin"
                + " logged on", out);
    }

    /**
     * Line ends and tabs cannot start a line or a column; terminal commands are shown, not obeyed; reordering
     * and invisible characters are shown; and the escaping can be read back: a peer that types the escape
     * itself cannot pass it off as an escaped control character.
     */
    @ParameterizedTest
    @MethodSource
    void escapes(String peer, String shown) {
        assertEquals(shown, PeerText.escape(peer));
    }

    static Stream<Arguments> escapes() {
        return Stream.of(
                Arguments.of("a\r\nb\tc", "a\\r\\nb\\tc"),
                Arguments.of("x\u2028y\u2029z\u0085", "x\\u2028y\\u2029z\\x85"),
                Arguments.of("hi\u001b[2J\u001b]0;pwned\u0007 \u009b31m", "hi\\x1b[2J\\x1b]0;pwned\\x07 \\x9b31m"),
                Arguments.of("\0\u007f", "\\x00\\x7f"),
                Arguments.of("invoice\u202Egnp.exe", "invoice\\u202egnp.exe"),
                Arguments.of("\uFEFFa\u200Bb\u2066c", "\\ufeffa\\u200bb\\u2066c"),
                Arguments.of("lone \uD800", "lone \\ud800"),
                Arguments.of("a\\nb", "a\\\\nb"),
                Arguments.of("C:\\Users", "C:\\\\Users"));
    }

    @Test
    void ordinaryTextOfAnyScriptIsKept() {
        String s = "Grüße 日本 😀 👩‍💻 ok";
        assertSame(s, PeerText.escape(s));
        assertTrue(PeerText.clean(s));
        assertEquals("", PeerText.escape(null));
    }
}
