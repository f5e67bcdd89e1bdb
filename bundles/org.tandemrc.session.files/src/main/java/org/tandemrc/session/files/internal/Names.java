package org.tandemrc.session.files.internal;

import java.nio.charset.StandardCharsets;

/**
 * What one name from a peer may be: a single plain name, the same rule on the Host (every name of a
 * path the Guest gives) and on the Guest (every name the Host lists).
 */
final class Names {

    /** The longest name, in bytes of UTF-8 (NAME_MAX of Linux and most file systems). */
    static final int MAX_NAME = 255;
    /** The suffix of a file being received; only this side names it, never the peer. */
    static final String PARTIAL = ".tandem-part";
    /** The prefix of a folder or link being made in the root before it is moved into place. */
    static final String STAGED = ".tandem-new-";

    private Names() {
    }

    /** Why {@code name} is not one plain name, or null when it is. */
    static String problem(String name) {
        if (name.isEmpty()) {
            return "an empty name";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' names no file";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "a name holds a separator";
        }
        if (hasControl(name)) {
            return "a name holds a NUL or control character";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
            return "a name is longer than " + MAX_NAME + " bytes";
        }
        if (reserved(name)) {
            return "names ending in " + PARTIAL + " or starting with " + STAGED + " are the transfer's own";
        }
        return null;
    }

    /** Whether text holds a NUL or another control character (C0, DEL, C1), as terminals act on them. */
    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0) {
                return true;
            }
        }
        return false;
    }

    /** Names only the transfer itself makes: its partial files and the folders and links it stages. */
    static boolean reserved(String name) {
        return name.endsWith(PARTIAL) || name.startsWith(STAGED);
    }

    /**
     * A Guest's offered file name made one plain name to show and to propose: only what follows its last
     * separator, without control characters and leading dots or spaces (no hidden file, no {@code ..}), cut to
     * {@link #MAX_NAME} bytes; {@code received-file} when nothing is left or the name is the transfer's own.
     */
    static String offered(String sent) {
        String s = sent.substring(Math.max(sent.lastIndexOf('/'), sent.lastIndexOf('\\')) + 1);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().filter(c -> !hasControl(Character.toString(c))).forEach(b::appendCodePoint);
        String name = b.toString().replaceFirst("^[.\\s]+", "").strip();
        while (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
            name = name.substring(0, name.offsetByCodePoints(name.length(), -1));
        }
        return name.isEmpty() || reserved(name) ? "received-file" : name;
    }
}
