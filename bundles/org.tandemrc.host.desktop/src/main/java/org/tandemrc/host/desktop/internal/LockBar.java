package org.tandemrc.host.desktop.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;

import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;

/**
 * The notice at the bottom of the screen, above every window, while Guests have locked the person's
 * keyboard and mouse: who, and what ends it. It has nothing to click, since the mouse is locked too, and
 * never takes the focus. Event dispatch thread only.
 */
final class LockBar {

    private final JFrame frame;
    private final JLabel text;
    private final JLabel detail;
    private final Texts texts;

    LockBar(String names, Texts texts, Scale scale) {
        this.texts = texts;
        frame = new JFrame();
        frame.setUndecorated(true);
        frame.setFocusableWindowState(false);
        frame.setAutoRequestFocus(false);
        frame.setAlwaysOnTop(true);
        JPanel content = new JPanel();
        content.setLayout(new BoxLayout(content, BoxLayout.Y_AXIS));
        int gap = scale.px(12);
        content.setBackground(new Color(0xFDE2E1));
        content.setBorder(BorderFactory.createCompoundBorder(BorderFactory.createLineBorder(new Color(0xB3261E)),
                BorderFactory.createEmptyBorder(gap, scale.px(24), gap, scale.px(24))));
        text = new JLabel();
        text.setFont(scale.font(Font.BOLD, 17));
        detail = new JLabel();
        detail.setFont(scale.font(Font.PLAIN, 14));
        content.add(text);
        content.add(detail);
        frame.setContentPane(content);
        show(names);
        frame.setVisible(true);
    }

    /** Names who holds the lock now (one name, or several separated by commas). */
    void show(String names) {
        frame.setTitle(texts.get("product") + ": " + texts.get("lock.title", names));
        text.setText(texts.get("lock.text", names));
        detail.setText(texts.get("lock.detail", names));
        frame.pack();
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        frame.setLocation(screen.x + (screen.width - frame.getWidth()) / 2,
                screen.y + screen.height - frame.getHeight());
    }

    void close() {
        frame.dispose();
    }
}
