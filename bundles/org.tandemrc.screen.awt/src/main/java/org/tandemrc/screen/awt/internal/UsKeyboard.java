package org.tandemrc.screen.awt.internal;

import java.awt.event.KeyEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys {@link java.awt.Robot} can press, as a US keyboard has them: which {@link KeyEvent} key
 * code stands for an X11 keysym (the key identity on the wire), and which key, with or without
 * Shift, types a character.
 *
 * <p>Robot presses keys, not characters, so a keysym names a physical key. Both keysyms of a key map
 * to it: {@code a} and {@code A}, {@code 1} and {@code exclam}; the Guest's own Shift, sent as a key
 * of its own, picks the level, as on a real keyboard. Left and right modifiers (and keypad keys with
 * a main-block twin, such as {@code KP_Enter} or {@code KP_Home}) press the same key code, because
 * Robot cannot choose a key's location.
 */
final class UsKeyboard {

    /**
     * How to type one character.
     *
     * @param keyCode the {@link KeyEvent} key code to press and release
     * @param shift   whether Shift is held around it
     */
    record Stroke(int keyCode, boolean shift) {
    }

    /** X11 keysym to key code. */
    private static final Map<Integer, Integer> KEY_CODES = new HashMap<>();
    /** Code point to stroke. */
    private static final Map<Integer, Stroke> STROKES = new HashMap<>();

    static {
        for (int i = 0; i < 26; i++) {
            printable(KeyEvent.VK_A + i, 'a' + i, 'A' + i);
        }
        String shiftedDigits = ")!@#$%^&*(";
        for (int i = 0; i < 10; i++) {
            printable(KeyEvent.VK_0 + i, '0' + i, shiftedDigits.charAt(i));
        }
        printable(KeyEvent.VK_BACK_QUOTE, '`', '~');
        printable(KeyEvent.VK_MINUS, '-', '_');
        printable(KeyEvent.VK_EQUALS, '=', '+');
        printable(KeyEvent.VK_OPEN_BRACKET, '[', '{');
        printable(KeyEvent.VK_CLOSE_BRACKET, ']', '}');
        printable(KeyEvent.VK_BACK_SLASH, '\\', '|');
        printable(KeyEvent.VK_SEMICOLON, ';', ':');
        printable(KeyEvent.VK_QUOTE, '\'', '"');
        printable(KeyEvent.VK_COMMA, ',', '<');
        printable(KeyEvent.VK_PERIOD, '.', '>');
        printable(KeyEvent.VK_SLASH, '/', '?');
        key(0x0020, KeyEvent.VK_SPACE);
        STROKES.put((int) ' ', new Stroke(KeyEvent.VK_SPACE, false));
        STROKES.put((int) '\n', new Stroke(KeyEvent.VK_ENTER, false));
        STROKES.put((int) '\t', new Stroke(KeyEvent.VK_TAB, false));

        for (int i = 0; i < 12; i++) {
            key(0xffbe + i, KeyEvent.VK_F1 + i); // F1..F12
            key(0xffca + i, KeyEvent.VK_F13 + i); // F13..F24
        }
        key(0xff0d, KeyEvent.VK_ENTER); // Return
        key(0xff1b, KeyEvent.VK_ESCAPE); // Escape
        key(0xff09, KeyEvent.VK_TAB); // Tab
        key(0xfe20, KeyEvent.VK_TAB); // ISO_Left_Tab: what X clients send for Shift+Tab
        key(0xff08, KeyEvent.VK_BACK_SPACE); // BackSpace
        key(0xffff, KeyEvent.VK_DELETE); // Delete
        key(0xff63, KeyEvent.VK_INSERT); // Insert
        key(0xff50, KeyEvent.VK_HOME); // Home
        key(0xff57, KeyEvent.VK_END); // End
        key(0xff55, KeyEvent.VK_PAGE_UP); // Page_Up
        key(0xff56, KeyEvent.VK_PAGE_DOWN); // Page_Down
        key(0xff51, KeyEvent.VK_LEFT); // Left
        key(0xff52, KeyEvent.VK_UP); // Up
        key(0xff53, KeyEvent.VK_RIGHT); // Right
        key(0xff54, KeyEvent.VK_DOWN); // Down
        key(0xff61, KeyEvent.VK_PRINTSCREEN); // Print
        key(0xff13, KeyEvent.VK_PAUSE); // Pause
        key(0xff67, KeyEvent.VK_CONTEXT_MENU); // Menu

        key(0xffe1, KeyEvent.VK_SHIFT); // Shift_L
        key(0xffe2, KeyEvent.VK_SHIFT); // Shift_R
        key(0xffe3, KeyEvent.VK_CONTROL); // Control_L
        key(0xffe4, KeyEvent.VK_CONTROL); // Control_R
        key(0xffe9, KeyEvent.VK_ALT); // Alt_L
        key(0xffea, KeyEvent.VK_ALT); // Alt_R
        key(0xffe7, KeyEvent.VK_META); // Meta_L
        key(0xffe8, KeyEvent.VK_META); // Meta_R
        key(0xffeb, KeyEvent.VK_WINDOWS); // Super_L
        key(0xffec, KeyEvent.VK_WINDOWS); // Super_R
        key(0xffe5, KeyEvent.VK_CAPS_LOCK); // Caps_Lock
        key(0xff7f, KeyEvent.VK_NUM_LOCK); // Num_Lock
        key(0xff14, KeyEvent.VK_SCROLL_LOCK); // Scroll_Lock

        for (int i = 0; i < 10; i++) {
            key(0xffb0 + i, KeyEvent.VK_NUMPAD0 + i); // KP_0..KP_9
        }
        key(0xffaa, KeyEvent.VK_MULTIPLY); // KP_Multiply
        key(0xffab, KeyEvent.VK_ADD); // KP_Add
        key(0xffac, KeyEvent.VK_SEPARATOR); // KP_Separator
        key(0xffad, KeyEvent.VK_SUBTRACT); // KP_Subtract
        key(0xffae, KeyEvent.VK_DECIMAL); // KP_Decimal
        key(0xffaf, KeyEvent.VK_DIVIDE); // KP_Divide
        key(0xffbd, KeyEvent.VK_EQUALS); // KP_Equal
        key(0xff8d, KeyEvent.VK_ENTER); // KP_Enter
        key(0xff95, KeyEvent.VK_HOME); // KP_Home
        key(0xff96, KeyEvent.VK_LEFT); // KP_Left
        key(0xff97, KeyEvent.VK_UP); // KP_Up
        key(0xff98, KeyEvent.VK_RIGHT); // KP_Right
        key(0xff99, KeyEvent.VK_DOWN); // KP_Down
        key(0xff9a, KeyEvent.VK_PAGE_UP); // KP_Page_Up
        key(0xff9b, KeyEvent.VK_PAGE_DOWN); // KP_Page_Down
        key(0xff9c, KeyEvent.VK_END); // KP_End
        key(0xff9e, KeyEvent.VK_INSERT); // KP_Insert
        key(0xff9f, KeyEvent.VK_DELETE); // KP_Delete
    }

    private UsKeyboard() {
    }

    /** A key of the main block typing {@code plain} alone and {@code shifted} with Shift (Latin-1 keysyms are their characters). */
    private static void printable(int keyCode, int plain, int shifted) {
        key(plain, keyCode);
        key(shifted, keyCode);
        STROKES.put(plain, new Stroke(keyCode, false));
        STROKES.put(shifted, new Stroke(keyCode, true));
    }

    private static void key(int keysym, int keyCode) {
        KEY_CODES.put(keysym, keyCode);
    }

    /** The key code that presses the key of a keysym, or {@link KeyEvent#VK_UNDEFINED} when a US keyboard has none. */
    static int keyCode(int keysym) {
        return KEY_CODES.getOrDefault(keysym, KeyEvent.VK_UNDEFINED);
    }

    /** How a US keyboard types a character, or empty when it has no key for it. */
    static Optional<Stroke> stroke(int codePoint) {
        return Optional.ofNullable(STROKES.get(codePoint));
    }
}
