package org.tandemrc.api.screen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * X11 keysyms, the platform-neutral key identities on the wire, and key combinations as people write
 * them ({@code ctrl+alt+del}, {@code alt+tab}, {@code print}).
 */
public final class Keysyms {

    private Keysyms() {
    }

    /** The keysym that types a character: Latin-1 code points are their own, others {@code 0x01000000 | cp}. */
    public static int ofCharacter(int codePoint) {
        return codePoint == '\n' ? 0xff0d : codePoint == '\t' ? 0xff09
                : codePoint < 0x100 ? codePoint : 0x01000000 | codePoint;
    }

    private static final Map<String, Integer> NAMES = Map.ofEntries(
            Map.entry("ctrl", 0xffe3), Map.entry("control", 0xffe3), Map.entry("alt", 0xffe9),
            Map.entry("shift", 0xffe1), Map.entry("super", 0xffeb), Map.entry("win", 0xffeb),
            Map.entry("del", 0xffff), Map.entry("delete", 0xffff), Map.entry("tab", 0xff09),
            Map.entry("esc", 0xff1b), Map.entry("escape", 0xff1b), Map.entry("print", 0xff61),
            Map.entry("printscreen", 0xff61), Map.entry("enter", 0xff0d), Map.entry("return", 0xff0d),
            Map.entry("backspace", 0xff08), Map.entry("home", 0xff50), Map.entry("end", 0xff57),
            Map.entry("pageup", 0xff55), Map.entry("pagedown", 0xff56), Map.entry("left", 0xff51),
            Map.entry("up", 0xff52), Map.entry("right", 0xff53), Map.entry("down", 0xff54),
            Map.entry("space", 0x20), Map.entry("insert", 0xff63), Map.entry("menu", 0xff67));

    /**
     * The keysyms of a combination, in pressing order.
     *
     * @throws IllegalArgumentException naming the part that is not a key
     */
    public static List<Integer> parse(String combination) {
        List<Integer> keys = new ArrayList<>();
        for (String part : combination.split("\\+")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            Integer k = NAMES.get(p);
            if (k == null && p.matches("f([1-9]|1[0-2])")) {
                k = 0xffbe + Integer.parseInt(p.substring(1)) - 1;
            }
            if (k == null && p.codePointCount(0, p.length()) == 1) {
                k = ofCharacter(p.codePointAt(0));
            }
            if (k == null) {
                throw new IllegalArgumentException("'" + part + "' is not a key; use names like ctrl, alt, shift, del, "
                        + "tab, esc, f1, enter, or one character");
            }
            keys.add(k);
        }
        return keys;
    }
}
