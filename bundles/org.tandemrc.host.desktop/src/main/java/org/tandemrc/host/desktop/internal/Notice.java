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
import javax.swing.Timer;

/**
 * A short notice in the top right corner of the screen (a Guest connected or left) that never takes
 * the keyboard from what the person is typing into, and goes away by itself. Event dispatch thread only.
 */
final class Notice {

    private final JFrame frame;

    /** @param stacked how many notices show already: this one goes below them */
    Notice(String title, String text, Texts texts, Scale scale, int seconds, int stacked, Runnable showConnections) {
        frame = new JFrame(texts.get("product") + ": " + title);
        frame.setUndecorated(true);
        frame.setFocusableWindowState(false);
        frame.setAutoRequestFocus(false);
        frame.setAlwaysOnTop(true);
        JPanel content = new JPanel(new BorderLayout(scale.px(12), scale.px(6)));
        int gap = scale.px(12);
        content.setBorder(BorderFactory.createCompoundBorder(BorderFactory.createLineBorder(Color.GRAY),
                BorderFactory.createEmptyBorder(gap, gap, gap, gap)));
        JLabel heading = new JLabel(title);
        heading.setFont(scale.font(Font.BOLD, 14));
        JLabel body = new JLabel(text);
        body.setFont(scale.font(Font.PLAIN, 13));
        content.add(heading, BorderLayout.NORTH);
        content.add(body, BorderLayout.CENTER);
        JButton show = new JButton(texts.get("notice.show"));
        show.setFont(scale.font(Font.PLAIN, 13));
        show.addActionListener(e -> {
            showConnections.run();
            close();
        });
        content.add(show, BorderLayout.EAST);
        frame.setContentPane(content);
        frame.pack();
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        // Bottom right, stacked upwards: the control bar holds the top edge while a Guest controls, and
        // the corner itself is left to the Ask-for-help button when it is on.
        int corner = scale.px(48);
        frame.setLocation(screen.x + screen.width - frame.getWidth() - gap,
                screen.y + screen.height - corner - (stacked + 1) * (frame.getHeight() + gap));
        frame.setVisible(true);
        Timer timer = new Timer(seconds * 1000, e -> close());
        timer.setRepeats(false);
        timer.start();
    }

    void close() {
        frame.dispose();
    }

    boolean isShowing() {
        return frame.isDisplayable();
    }
}
