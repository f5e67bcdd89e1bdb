package org.tandemrc.host.support.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the download page wrote into the temporary Host's script (framework property
 * {@value #PROPERTY}): {@code code=DIGITS;manager=ADDRESS;trust-fingerprint=HEX}, keys in that order,
 * {@code code} and {@code trust-fingerprint} optional; the script's options {@code --code},
 * {@code --manager} and {@code --trust-fingerprint} are passed in the same form. Parsed strictly: it
 * came over the network.
 *
 * @param code        nine digits, or null when the person types it
 * @param manager     the Connection Manager to dial, as a webconnect profile's {@code manager}; null when
 *                    the person types it
 * @param fingerprint the SHA-256 of the manager's TLS certificate (lowercase hex), or null
 */
record Preset(String code, String manager, String fingerprint) {

    static final String PROPERTY = "tandem.support.preset";

    private static final Pattern FORM = Pattern.compile(
            "(?:code=([0-9]{9}))?;?(?:manager=([A-Za-z0-9.:_\\[\\]-]{1,260}))?;?(?:trust-fingerprint=([0-9a-f]{64}))?");

    /** The preset, or an IllegalArgumentException naming what is wrong; an empty text presets nothing. */
    static Preset parse(String text) {
        if (text.length() > 400) {
            throw new IllegalArgumentException("the support preset is longer than 400 characters");
        }
        Matcher m = FORM.matcher(text);
        // Separators only between present parts: no leading, trailing or doubled ';'.
        if (!m.matches() || text.startsWith(";") || text.endsWith(";") || text.contains(";;")) {
            throw new IllegalArgumentException("the support preset is not code=DIGITS;manager=ADDRESS;"
                    + "trust-fingerprint=HEX: " + text.replaceAll("[^A-Za-z0-9.:_;=\\[\\]-]", "?"));
        }
        if (m.group(3) != null && m.group(2) == null) {
            throw new IllegalArgumentException("the support preset names a trust-fingerprint but no manager");
        }
        return new Preset(m.group(1), m.group(2), m.group(3));
    }

    /** The code as shown and prefilled: {@code 123 456 789}, or empty. */
    String shownCode() {
        return code == null ? "" : code.substring(0, 3) + " " + code.substring(3, 6) + " " + code.substring(6);
    }

    /** A code as the person typed it (spaces and dashes allowed): nine digits, or null. */
    static String normalize(String typed) {
        if (typed == null || typed.length() > 32) {
            return null;
        }
        String digits = typed.replaceAll("[\\s-]", "");
        return digits.matches("[0-9]{9}") ? digits : null;
    }

    /** A manager address the person typed, checked as the page checks its preset; null when unusable. */
    static String manager(String typed) {
        String t = typed == null ? "" : typed.strip();
        return t.matches("[A-Za-z0-9.:_\\[\\]-]{1,260}") ? t : null;
    }
}
