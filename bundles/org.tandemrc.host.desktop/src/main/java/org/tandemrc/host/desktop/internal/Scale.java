package org.tandemrc.host.desktop.internal;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Toolkit;

/**
 * Sizes on the person's screen: Swing on X11 draws in pixels and scales only with GDK_SCALE, so the
 * desktop grows its fonts and gaps by the screen's resolution against the 96 dpi they were chosen at.
 */
final class Scale {

    /** 1 at 96 dpi; never below 1, never above 4. */
    final float factor;

    private Scale(float factor) {
        this.factor = factor;
    }

    static Scale ofScreen() {
        int dpi = GraphicsEnvironment.isHeadless() ? 96 : Toolkit.getDefaultToolkit().getScreenResolution();
        return of(dpi);
    }

    static Scale of(int dpi) {
        return new Scale(Math.max(1f, Math.min(4f, dpi / 96f)));
    }

    int px(int at96) {
        return Math.round(at96 * factor);
    }

    Font font(int style, int pointsAt96) {
        return new Font(Font.SANS_SERIF, style, px(pointsAt96));
    }
}
