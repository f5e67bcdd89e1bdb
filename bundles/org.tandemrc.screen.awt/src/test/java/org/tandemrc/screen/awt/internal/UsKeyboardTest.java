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

    @Test
    void bothKeysymsOfAPrintableKeyPressThatKey() {
        assertEquals(KeyEvent.VK_A, UsKeyboard.keyCode('a'));
        assertEquals(KeyEvent.VK_A, UsKeyboard.keyCode('A'));
        assertEquals(KeyEvent.VK_Z, UsKeyboard.keyCode('z'));
        assertEquals(KeyEvent.VK_Z, UsKeyboard.keyCode('Z'));
        assertEquals(KeyEvent.VK_0, UsKeyboard.keyCode('0'));
        assertEquals(KeyEvent.VK_0, UsKeyboard.keyCode(')'));
        assertEquals(KeyEvent.VK_1, UsKeyboard.keyCode('!'));
        assertEquals(KeyEvent.VK_2, UsKeyboard.keyCode('@'));
        assertEquals(KeyEvent.VK_6, UsKeyboard.keyCode('^'));
        assertEquals(KeyEvent.VK_9, UsKeyboard.keyCode('('));
        assertEquals(KeyEvent.VK_SPACE, UsKeyboard.keyCode(0x20));
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
        assertEquals(KeyEvent.VK_F1, UsKeyboard.keyCode(0xffbe));
        assertEquals(KeyEvent.VK_F12, UsKeyboard.keyCode(0xffc9));
        assertEquals(KeyEvent.VK_F13, UsKeyboard.keyCode(0xffca));
        assertEquals(KeyEvent.VK_F24, UsKeyboard.keyCode(0xffd5));
        assertEquals(KeyEvent.VK_ENTER, UsKeyboard.keyCode(0xff0d));
        assertEquals(KeyEvent.VK_ESCAPE, UsKeyboard.keyCode(0xff1b));
        assertEquals(KeyEvent.VK_TAB, UsKeyboard.keyCode(0xff09));
        assertEquals(KeyEvent.VK_TAB, UsKeyboard.keyCode(0xfe20));
        assertEquals(KeyEvent.VK_BACK_SPACE, UsKeyboard.keyCode(0xff08));
        assertEquals(KeyEvent.VK_DELETE, UsKeyboard.keyCode(0xffff));
        assertEquals(KeyEvent.VK_INSERT, UsKeyboard.keyCode(0xff63));
        assertEquals(KeyEvent.VK_HOME, UsKeyboard.keyCode(0xff50));
        assertEquals(KeyEvent.VK_END, UsKeyboard.keyCode(0xff57));
        assertEquals(KeyEvent.VK_PAGE_UP, UsKeyboard.keyCode(0xff55));
        assertEquals(KeyEvent.VK_PAGE_DOWN, UsKeyboard.keyCode(0xff56));
        assertEquals(KeyEvent.VK_LEFT, UsKeyboard.keyCode(0xff51));
        assertEquals(KeyEvent.VK_UP, UsKeyboard.keyCode(0xff52));
        assertEquals(KeyEvent.VK_RIGHT, UsKeyboard.keyCode(0xff53));
        assertEquals(KeyEvent.VK_DOWN, UsKeyboard.keyCode(0xff54));
        assertEquals(KeyEvent.VK_PRINTSCREEN, UsKeyboard.keyCode(0xff61));
        assertEquals(KeyEvent.VK_PAUSE, UsKeyboard.keyCode(0xff13));
        assertEquals(KeyEvent.VK_CONTEXT_MENU, UsKeyboard.keyCode(0xff67));
    }

    @Test
    void leftAndRightModifiersPressTheSameKey() {
        assertEquals(KeyEvent.VK_SHIFT, UsKeyboard.keyCode(0xffe1));
        assertEquals(KeyEvent.VK_SHIFT, UsKeyboard.keyCode(0xffe2));
        assertEquals(KeyEvent.VK_CONTROL, UsKeyboard.keyCode(0xffe3));
        assertEquals(KeyEvent.VK_CONTROL, UsKeyboard.keyCode(0xffe4));
        assertEquals(KeyEvent.VK_ALT, UsKeyboard.keyCode(0xffe9));
        assertEquals(KeyEvent.VK_ALT, UsKeyboard.keyCode(0xffea));
        assertEquals(KeyEvent.VK_META, UsKeyboard.keyCode(0xffe7));
        assertEquals(KeyEvent.VK_META, UsKeyboard.keyCode(0xffe8));
        assertEquals(KeyEvent.VK_WINDOWS, UsKeyboard.keyCode(0xffeb));
        assertEquals(KeyEvent.VK_WINDOWS, UsKeyboard.keyCode(0xffec));
        assertEquals(KeyEvent.VK_CAPS_LOCK, UsKeyboard.keyCode(0xffe5));
        assertEquals(KeyEvent.VK_NUM_LOCK, UsKeyboard.keyCode(0xff7f));
        assertEquals(KeyEvent.VK_SCROLL_LOCK, UsKeyboard.keyCode(0xff14));
    }

    @Test
    void keypad() {
        for (int i = 0; i < 10; i++) {
            assertEquals(KeyEvent.VK_NUMPAD0 + i, UsKeyboard.keyCode(0xffb0 + i), "KP_" + i);
        }
        assertEquals(KeyEvent.VK_MULTIPLY, UsKeyboard.keyCode(0xffaa));
        assertEquals(KeyEvent.VK_ADD, UsKeyboard.keyCode(0xffab));
        assertEquals(KeyEvent.VK_SUBTRACT, UsKeyboard.keyCode(0xffad));
        assertEquals(KeyEvent.VK_DECIMAL, UsKeyboard.keyCode(0xffae));
        assertEquals(KeyEvent.VK_DIVIDE, UsKeyboard.keyCode(0xffaf));
        assertEquals(KeyEvent.VK_ENTER, UsKeyboard.keyCode(0xff8d));
        assertEquals(KeyEvent.VK_HOME, UsKeyboard.keyCode(0xff95));
        assertEquals(KeyEvent.VK_LEFT, UsKeyboard.keyCode(0xff96));
        assertEquals(KeyEvent.VK_DELETE, UsKeyboard.keyCode(0xff9f));
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
