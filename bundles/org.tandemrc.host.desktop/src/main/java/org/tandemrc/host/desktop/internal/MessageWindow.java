package org.tandemrc.host.desktop.internal;

import java.awt.Dimension;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;

import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.KeyStroke;
import javax.swing.WindowConstants;

/**
 * A Guest's message, in a window that stays until the person closes it (Close, Enter, Esc). It does
 * not take the keyboard by itself, so an Enter meant for another program cannot close it unread.
 * Event dispatch thread only.
 */
final class MessageWindow {

    private final JFrame frame;

    /** @param onScreen runs once the window is shown on the screen */
    MessageWindow(String guest, String text, Texts texts, Scale scale, Runnable onScreen) {
        frame = new JFrame(texts.get("product") + ": " + texts.get("message.title", Texts.peer(guest)));
        frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        MessagePanel content = new MessagePanel(guest, text, texts, scale, frame::dispose);
        frame.setContentPane(content);
        frame.getRootPane().setDefaultButton(content.closeButton());
        frame.getRootPane().registerKeyboardAction(e -> frame.dispose(), KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowOpened(WindowEvent e) {
                onScreen.run();
            }
        });
        frame.setMinimumSize(new Dimension(scale.px(420), 0));
        frame.setAutoRequestFocus(false);
        frame.setAlwaysOnTop(true);
        frame.pack();
        frame.setLocationRelativeTo(null);
        frame.setVisible(true);
    }

    String title() {
        return frame.getTitle();
    }

    boolean isOpen() {
        return frame.isDisplayable();
    }

    void close() {
        frame.dispose();
    }
}
