package org.tandemrc.host.desktop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.awt.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.swing.JComponent;
import javax.swing.plaf.basic.BasicHTML;
import javax.swing.text.JTextComponent;

import org.junit.jupiter.api.Test;

/**
 * What a Guest writes reaches the screen as the characters it wrote: Swing renders a label or button
 * whose text starts with {@code <html>} as HTML (an {@code <img src>} fetches a URL, markup fakes the
 * dialog), so neither a chat line, a message nor a Guest's name may become markup.
 */
class PeerTextOnScreenTest {

    private static final String ATTACK = "<html><img src=http://198.51.100.7/x.png><b>Your bank</b>";
    private final Texts texts = new Texts(Locale.ENGLISH);
    private final Scale scale = Scale.of(96);

    @Test
    void aChatLineAndNameThatAreHtmlShowLiterally() {
        List<String> sent = new ArrayList<>();
        ChatPanel chat = new ChatPanel(ATTACK, texts, scale, sent::add, () -> { });
        chat.show(ATTACK, ATTACK);
        chat.show(ATTACK, "line one\nline\u202Etwo");
        assertNoMarkup(chat);
        String shown = chat.transcript();
        assertTrue(shown.contains(ATTACK + ": " + ATTACK), shown);
        assertTrue(shown.contains("line\\u202etwo"), "a bidirectional override is shown, not obeyed: " + shown);
        chat.send("<html><i>mine</i>");
        assertEquals(List.of("<html><i>mine</i>"), sent, "what the person types goes out as typed");
        assertNoMarkup(chat);
    }

    @Test
    void aMessageThatIsHtmlShowsLiterally() {
        MessagePanel message = new MessagePanel(ATTACK, ATTACK + "\nsecond line", texts, scale, () -> { });
        assertNoMarkup(message);
        assertTrue(message.text().contains(ATTACK + "\nsecond line"), message.text());
    }

    /** No component renders HTML: BasicHTML marks every one it does with a client property. */
    private static void assertNoMarkup(Component c) {
        if (c instanceof JComponent j) {
            assertNull(j.getClientProperty(BasicHTML.propertyKey), "rendered as HTML: " + describe(c));
        }
        if (c instanceof JTextComponent t) {
            assertEquals("text/plain", t instanceof javax.swing.JEditorPane e ? e.getContentType() : "text/plain");
        }
        if (c instanceof Container parent) {
            for (Component child : parent.getComponents()) {
                assertNoMarkup(child);
            }
        }
    }

    private static String describe(Component c) {
        return c instanceof javax.swing.JLabel l ? "label " + l.getText()
                : c instanceof javax.swing.AbstractButton b ? "button " + b.getText() : c.toString();
    }
}
