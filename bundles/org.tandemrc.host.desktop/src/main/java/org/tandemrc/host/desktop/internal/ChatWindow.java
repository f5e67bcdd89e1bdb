package org.tandemrc.host.desktop.internal;

import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.function.Consumer;

import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.KeyStroke;
import javax.swing.WindowConstants;

/**
 * A chat with one Guest in its own window, titled with the Guest's name. Esc or closing the window hides
 * it and the chat goes on (the Guest's next line, or Chat in the window of connected Guests, shows it
 * again); End chat ends it. Event dispatch thread only.
 */
final class ChatWindow {

    private final JFrame frame;
    private final ChatPanel panel;
    private final String guest;

    ChatWindow(String guest, Texts texts, Scale scale, Consumer<String> typed, Runnable endedByPerson) {
        this.guest = guest;
        frame = new JFrame(texts.get("product") + ": " + texts.get("chat.title", Texts.peer(guest)));
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                hide();
            }
        });
        panel = new ChatPanel(guest, texts, scale, typed, endedByPerson);
        frame.setContentPane(panel);
        frame.getRootPane().registerKeyboardAction(e -> hide(),
                KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), JComponent.WHEN_IN_FOCUSED_WINDOW);
        frame.addWindowFocusListener(new WindowAdapter() {
            private boolean first = true;

            @Override
            public void windowGainedFocus(WindowEvent e) {
                // The first time the window gets the keyboard, it goes to the field: the person came to answer.
                if (first) {
                    first = false;
                    panel.focusInput();
                }
            }
        });
        frame.pack();
        frame.setLocationRelativeTo(null);
        // It does not take the keyboard from what the person is typing into; a click gives it the keyboard.
        frame.setAutoRequestFocus(false);
        frame.setVisible(true);
    }

    String guest() {
        return guest;
    }

    String title() {
        return frame.getTitle();
    }

    /** Shows the window again (if hidden), in front; {@code focus} when the person asked for it. */
    void bringBack(boolean focus) {
        frame.setAutoRequestFocus(focus);
        frame.setVisible(true);
        frame.toFront();
        if (focus) {
            panel.focusInput();
        }
    }

    void show(String from, String line) {
        panel.show(from, line);
        if (!frame.isVisible()) {
            bringBack(false);
        }
    }

    void ended(String reason) {
        panel.ended(reason);
        if (!frame.isVisible()) {
            frame.dispose();
        }
    }

    /** Hides a chat that goes on; a chat that is over has nothing left to show again. */
    private void hide() {
        if (panel.isOver()) {
            frame.dispose();
        } else {
            frame.setVisible(false);
        }
    }

    /** Ends the chat from the Host's side (the Guest is told) and closes the window. */
    void endChat(String why) {
        panel.endChat(why);
        frame.dispose();
    }

    boolean isOver() {
        return panel.isOver();
    }
}
