package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;

/**
 * What a message window holds: who sends it, the text (plain, in a text area: a label would render
 * {@code <html>} as markup) and Close. Event dispatch thread only; no frame, so it is built in tests too.
 */
final class MessagePanel extends JPanel {

    private final JTextArea body;
    private final JButton close;

    MessagePanel(String guest, String text, Texts texts, Scale scale, Runnable onClose) {
        super(new BorderLayout(0, scale.px(10)));
        int gap = scale.px(16);
        setBorder(BorderFactory.createEmptyBorder(gap, gap, gap, gap));
        JLabel heading = new JLabel(texts.get("message.heading", Texts.peer(guest)));
        heading.setFont(scale.font(Font.BOLD, 15));
        add(heading, BorderLayout.NORTH);
        body = plainText(text, scale);
        body.getAccessibleContext().setAccessibleName(texts.get("message.heading", Texts.peer(guest)));
        JScrollPane scroll = new JScrollPane(body);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        int rows = Math.min(12, Math.max(2, body.getLineCount() + text.length() / 60));
        scroll.setPreferredSize(new Dimension(scale.px(460), scale.px(20 * rows)));
        add(scroll, BorderLayout.CENTER);
        close = Buttons.of(texts, "message.close", scale.font(Font.PLAIN, 13), onClose);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 0, 0));
        buttons.add(close);
        add(buttons, BorderLayout.SOUTH);
    }

    /** A peer's text as the desktop shows it: plain (never markup), wrapped, read-only, out of the focus order. */
    static JTextArea plainText(String text, Scale scale) {
        JTextArea area = new JTextArea(Texts.plain(text));
        area.setEditable(false);
        area.setLineWrap(true);
        area.setWrapStyleWord(true);
        area.setFont(scale.font(Font.PLAIN, 14));
        area.setFocusable(false);
        area.setOpaque(false);
        return area;
    }

    JButton closeButton() {
        return close;
    }

    String text() {
        return body.getText();
    }
}
