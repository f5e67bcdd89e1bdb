package org.tandemrc.screen.awt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.screen.Keysyms;

/** The keysym and character tables; pure lookups, no display needed. */
class UsKeyboardTest {

    /** Each keysym presses the key given after it. */
    private static void assertKeyCodes(int... keysymThenKeyCode) {
        for (int i = 0; i < keysymThenKeyCode.length; i += 2) {
            assertEquals(keysymThenKeyCode[i + 1], UsKeyboard.keyCode(keysymThenKeyCode[i]),
                    "keysym 0x" + Integer.toHexString(keysymThenKeyCode[i]));
        }
    }

    @Test
    void bothKeysymsOfAPrintableKeyPressThatKey() {
        assertKeyCodes('a', KeyEvent.VK_A, 'A', KeyEvent.VK_A, 'z', KeyEvent.VK_Z, 'Z', KeyEvent.VK_Z,
                '0', KeyEvent.VK_0, ')', KeyEvent.VK_0, '!', KeyEvent.VK_1, '@', KeyEvent.VK_2, '^', KeyEvent.VK_6,
                '(', KeyEvent.VK_9, 0x20, KeyEvent.VK_SPACE);
        int[][] punctuation = {
            {'`', '~', KeyEvent.VK_BACK_QUOTE}, {'-', '_', KeyEvent.VK_MINUS}, {'=', '+', KeyEvent.VK_EQUALS},
            {'[', '{', KeyEvent.VK_OPEN_BRACKET}, {']', '}', KeyEvent.VK_CLOSE_BRACKET},
            {'\\', '|', KeyEvent.VK_BACK_SLASH}, {';', ':', KeyEvent.VK_SEMICOLON}, {'\'', '"', KeyEvent.VK_QUOTE},
            {',', '<', KeyEvent.VK_COMMA}, {'.', '>', KeyEvent.VK_PERIOD}, {'/', '?', KeyEvent.VK_SLASH}};
        for (int[] p : punctuation) {
            assertEquals(p[2], UsKeyboard.keyCode(p[0]), Character.toString(p[0]));
            assertEquals(p[2], UsKeyboard.keyCode(p[1]), Character.toString(p[1]));
        }
    }

    @Test
    void functionEditingAndNavigationKeys() {
        assertKeyCodes(
                0xffbe, KeyEvent.VK_F1, 0xffc9, KeyEvent.VK_F12, 0xffca, KeyEvent.VK_F13, 0xffd5, KeyEvent.VK_F24,
                0xff0d, KeyEvent.VK_ENTER, 0xff1b, KeyEvent.VK_ESCAPE, 0xff09, KeyEvent.VK_TAB, 0xfe20, KeyEvent.VK_TAB,
                0xff08, KeyEvent.VK_BACK_SPACE, 0xffff, KeyEvent.VK_DELETE, 0xff63, KeyEvent.VK_INSERT,
                0xff50, KeyEvent.VK_HOME, 0xff57, KeyEvent.VK_END, 0xff55, KeyEvent.VK_PAGE_UP,
                0xff56, KeyEvent.VK_PAGE_DOWN, 0xff51, KeyEvent.VK_LEFT, 0xff52, KeyEvent.VK_UP,
                0xff53, KeyEvent.VK_RIGHT, 0xff54, KeyEvent.VK_DOWN, 0xff61, KeyEvent.VK_PRINTSCREEN,
                0xff13, KeyEvent.VK_PAUSE, 0xff67, KeyEvent.VK_CONTEXT_MENU);
    }

    @Test
    void leftAndRightModifiersPressTheSameKey() {
        assertKeyCodes(
                0xffe1, KeyEvent.VK_SHIFT, 0xffe2, KeyEvent.VK_SHIFT, 0xffe3, KeyEvent.VK_CONTROL,
                0xffe4, KeyEvent.VK_CONTROL, 0xffe9, KeyEvent.VK_ALT, 0xffea, KeyEvent.VK_ALT, 0xffe7, KeyEvent.VK_META,
                0xffe8, KeyEvent.VK_META, 0xffeb, KeyEvent.VK_WINDOWS, 0xffec, KeyEvent.VK_WINDOWS,
                0xffe5, KeyEvent.VK_CAPS_LOCK, 0xff7f, KeyEvent.VK_NUM_LOCK, 0xff14, KeyEvent.VK_SCROLL_LOCK);
    }

    @Test
    void keypad() {
        for (int i = 0; i < 10; i++) {
            assertEquals(KeyEvent.VK_NUMPAD0 + i, UsKeyboard.keyCode(0xffb0 + i), "KP_" + i);
        }
        assertKeyCodes(
                0xffaa, KeyEvent.VK_MULTIPLY, 0xffab, KeyEvent.VK_ADD, 0xffad, KeyEvent.VK_SUBTRACT,
                0xffae, KeyEvent.VK_DECIMAL, 0xffaf, KeyEvent.VK_DIVIDE, 0xff8d, KeyEvent.VK_ENTER,
                0xff95, KeyEvent.VK_HOME, 0xff96, KeyEvent.VK_LEFT, 0xff9f, KeyEvent.VK_DELETE);
    }

    @Test
    void everyKeyACombinationCanNameIsPressable() {
        List<String> names = List.of("ctrl", "control", "alt", "shift", "super", "win", "del", "delete", "tab", "esc",
                "escape", "print", "printscreen", "enter", "return", "backspace", "home", "end", "pageup", "pagedown",
                "left", "up", "right", "down", "space", "insert", "menu", "f1", "f12", "a", "Z", "7", "/");
        for (String name : names) {
            for (int keysym : Keysyms.parse(name)) {
                assertNotEquals(KeyEvent.VK_UNDEFINED, UsKeyboard.keyCode(keysym), name);
            }
        }
    }

    @Test
    void keysymsWithoutAUsKeyHaveNoKeyCode() {
        assertEquals(KeyEvent.VK_UNDEFINED, UsKeyboard.keyCode(0xe9)); // eacute
        assertEquals(KeyEvent.VK_UNDEFINED, UsKeyboard.keyCode(0xc4)); // Adiaeresis
        assertEquals(KeyEvent.VK_UNDEFINED, UsKeyboard.keyCode(0x010020ac)); // EuroSign as a Unicode keysym
        assertEquals(KeyEvent.VK_UNDEFINED, UsKeyboard.keyCode(0x1008ff12)); // XF86AudioMute
        assertEquals(KeyEvent.VK_UNDEFINED, UsKeyboard.keyCode(0xfe03)); // ISO_Level3_Shift (AltGr)
        assertEquals(KeyEvent.VK_UNDEFINED, UsKeyboard.keyCode(0));
    }

    @Test
    void everyPrintableAsciiCharacterIsTypedByItsOwnKeysymsKeyWithShiftOnlyOnTheUpperLevel() {
        String shifted = "~!@#$%^&*()_+{}|:\"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (int c = 0x20; c < 0x7f; c++) {
            UsKeyboard.Stroke stroke = UsKeyboard.stroke(c).orElseThrow();
            assertEquals(UsKeyboard.keyCode(c), stroke.keyCode(), Character.toString(c));
            assertEquals(shifted.indexOf(c) >= 0, stroke.shift(), Character.toString(c));
        }
        assertEquals(Optional.of(new UsKeyboard.Stroke(KeyEvent.VK_A, false)), UsKeyboard.stroke('a'));
        assertEquals(Optional.of(new UsKeyboard.Stroke(KeyEvent.VK_A, true)), UsKeyboard.stroke('A'));
        assertEquals(Optional.of(new UsKeyboard.Stroke(KeyEvent.VK_1, true)), UsKeyboard.stroke('!'));
        assertEquals(Optional.of(new UsKeyboard.Stroke(KeyEvent.VK_SLASH, false)), UsKeyboard.stroke('/'));
        assertEquals(Optional.of(new UsKeyboard.Stroke(KeyEvent.VK_SPACE, false)), UsKeyboard.stroke(' '));
        assertEquals(Optional.of(new UsKeyboard.Stroke(KeyEvent.VK_ENTER, false)), UsKeyboard.stroke('\n'));
        assertEquals(Optional.of(new UsKeyboard.Stroke(KeyEvent.VK_TAB, false)), UsKeyboard.stroke('\t'));
    }

    @Test
    void charactersWithoutAUsKeyHaveNoStroke() {
        for (int c : new int[] {'é', 'Ä', 'ß', '€', '\r', 0x7f, 0x1f600}) {
            assertTrue(UsKeyboard.stroke(c).isEmpty(), String.format("U+%04X", c));
        }
    }
}
