package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JPanel;

/**
 * A small button in the bottom right corner of the screen that opens <em>Ask for help</em>, for a Host
 * whose person asks before anyone is connected. It never takes the keyboard. Event dispatch thread only.
 */
final class HelpLauncher {

    private final JFrame frame;

    HelpLauncher(Texts texts, Scale scale, Runnable open) {
        frame = new JFrame(texts.get("product") + ": " + texts.get("help.launcher"));
        frame.setUndecorated(true);
        frame.setFocusableWindowState(false);
        frame.setAutoRequestFocus(false);
        JPanel content = new JPanel(new BorderLayout());
        content.setBorder(BorderFactory.createEmptyBorder(scale.px(4), scale.px(4), scale.px(4), scale.px(4)));
        JButton button = new JButton(texts.get("product") + " \u00b7 " + texts.get("help.open"));
        button.setFont(scale.font(Font.BOLD, 13));
        button.addActionListener(e -> open.run());
        content.add(button, BorderLayout.CENTER);
        frame.setContentPane(content);
        frame.pack();
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        int gap = scale.px(12);
        frame.setLocation(screen.x + screen.width - frame.getWidth() - gap, screen.y + screen.height - frame.getHeight() - gap);
        frame.setVisible(true);
    }

    void close() {
        frame.dispose();
    }
}
