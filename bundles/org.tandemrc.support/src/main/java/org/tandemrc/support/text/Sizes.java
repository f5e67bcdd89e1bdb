package org.tandemrc.support.text;

import java.util.Locale;

/** Byte counts as people read them. */
public final class Sizes {

    private Sizes() {
    }

    /** {@code bytes} in binary units with one decimal ({@code 1.5 KiB}), below 1 KiB as {@code N B}. */
    public static String binary(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
