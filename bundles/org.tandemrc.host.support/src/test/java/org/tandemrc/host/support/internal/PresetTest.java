package org.tandemrc.host.support.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PresetTest {

    private static final String FP = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void theFormsThePageWrites() {
        assertEquals(new Preset("123456789", "tls:support.example:6590", FP),
                Preset.parse("code=123456789;manager=tls:support.example:6590;trust-fingerprint=" + FP));
        assertEquals(new Preset(null, "tls:[::1]:6590", FP), Preset.parse("manager=tls:[::1]:6590;trust-fingerprint=" + FP));
        assertEquals(new Preset("123456789", "127.0.0.1:6590", null), Preset.parse("code=123456789;manager=127.0.0.1:6590"));
        assertEquals(new Preset("000111222", null, null), Preset.parse("code=000111222"));
        assertEquals(new Preset(null, null, null), Preset.parse(""));
        assertEquals("123 456 789", Preset.parse("code=123456789").shownCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"code=12345678", "code=1234567890", "manager=a b", "manager=x;code=123456789",
        ";manager=x", "manager=x;", "code=123456789;;manager=x", "manager=x;trust-fingerprint=ABC",
        "trust-fingerprint=" + FP, "manager=$(reboot)", "other=1", "manager=x\n"})
    void anythingElseIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Preset.parse(text));
    }

    @Test
    void typedCodes() {
        assertEquals("123456789", Preset.normalize(" 123 456-789 "));
        assertNull(Preset.normalize("12345678"));
        assertNull(Preset.normalize("12345678a"));
        assertEquals("tls:h:1", Preset.manager(" tls:h:1 "));
        assertNull(Preset.manager("h 1"));
    }
}
