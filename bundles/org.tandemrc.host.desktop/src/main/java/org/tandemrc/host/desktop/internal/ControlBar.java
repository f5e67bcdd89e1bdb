package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;

/**
 * The small bar at the top of the screen, above every window, while a Guest can use keyboard and mouse:
 * who, and Stop. It never takes the keyboard (the person may be typing beside the Guest), so Stop is a
 * click. Event dispatch thread only.
 */
final class ControlBar {

    private final JFrame frame;

    ControlBar(String guest, Texts texts, Scale scale, Runnable stop) {
        frame = new JFrame(texts.get("product") + ": " + texts.get("control.title", guest));
        frame.setUndecorated(true);
        frame.setFocusableWindowState(false);
        frame.setAutoRequestFocus(false);
        frame.setAlwaysOnTop(true);
        JPanel content = new JPanel(new BorderLayout(scale.px(14), 0));
        int gap = scale.px(8);
        content.setBackground(new Color(0xFFF3C4));
        content.setBorder(BorderFactory.createCompoundBorder(BorderFactory.createLineBorder(new Color(0xB38600)),
                BorderFactory.createEmptyBorder(gap, scale.px(14), gap, gap)));
        JLabel text = new JLabel(texts.get("control.text", guest));
        text.setFont(scale.font(Font.BOLD, 13));
        content.add(text, BorderLayout.CENTER);
        JButton button = new JButton(texts.get("control.stop"));
        button.setFont(scale.font(Font.BOLD, 13));
        button.addActionListener(e -> stop.run());
        content.add(button, BorderLayout.EAST);
        frame.setContentPane(content);
        frame.pack();
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        frame.setLocation(screen.x + (screen.width - frame.getWidth()) / 2, screen.y);
        frame.setVisible(true);
    }

    void close() {
        frame.dispose();
    }
}
