package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.util.function.Consumer;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;

/**
 * What a chat window holds: the Guest's name, the lines so far, a field for the person's next line,
 * Send and End chat. Lines are plain text in a text area (a label would render a line starting with
 * {@code <html>} as markup). Event dispatch thread only; no frame, so it is built in tests too.
 */
final class ChatPanel extends JPanel {

    private final Texts texts;
    private final JTextArea lines;
    private final JTextField input;
    private final JButton send;
    private final JButton end;
    private final Consumer<String> typed;
    private final Runnable endByPerson;
    private boolean over;

    /**
     * @param typed receives each line the person sends
     * @param end   runs once when the person presses End chat
     */
    ChatPanel(String guest, Texts texts, Scale scale, Consumer<String> typed, Runnable end) {
        super(new BorderLayout(0, scale.px(8)));
        this.texts = texts;
        this.typed = typed;
        int gap = scale.px(12);
        setBorder(BorderFactory.createEmptyBorder(gap, gap, gap, gap));
        String name = Texts.peer(guest);
        JLabel heading = new JLabel(texts.get("chat.heading", name));
        heading.setFont(scale.font(Font.BOLD, 15));
        add(heading, BorderLayout.NORTH);

        Font plain = scale.font(Font.PLAIN, 13);
        lines = new JTextArea(14, 48);
        lines.setEditable(false);
        lines.setLineWrap(true);
        lines.setWrapStyleWord(true);
        lines.setFont(plain);
        // Focusable though read-only: a screen reader reads it and the person can select and copy a line.
        lines.getAccessibleContext().setAccessibleName(texts.get("chat.heading", name));
        JScrollPane scroll = new JScrollPane(lines);
        scroll.setPreferredSize(new Dimension(scale.px(520), scale.px(260)));
        add(scroll, BorderLayout.CENTER);

        input = new JTextField();
        input.setFont(plain);
        input.getAccessibleContext().setAccessibleName(texts.get("chat.input", name));
        input.addActionListener(e -> send(input.getText()));
        this.send = button("chat.send", plain, () -> send(input.getText()));
        this.endByPerson = end;
        this.end = button("chat.end", plain, () -> endChat(texts.get("chat.ended.by.you")));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, scale.px(8), 0));
        buttons.add(this.send);
        buttons.add(this.end);
        JLabel hint = new JLabel(texts.get("chat.hint"));
        hint.setFont(scale.font(Font.PLAIN, 11));
        JPanel bottom = new JPanel(new BorderLayout(scale.px(8), scale.px(6)));
        bottom.add(input, BorderLayout.CENTER);
        bottom.add(buttons, BorderLayout.EAST);
        bottom.add(hint, BorderLayout.SOUTH);
        add(bottom, BorderLayout.SOUTH);
    }

    private JButton button(String key, Font font, Runnable action) {
        return Buttons.of(texts, key, font, action);
    }

    /** A line from {@code from}, shown as the characters it holds. */
    void show(String from, String line) {
        append(Texts.plain(from) + ": " + Texts.plain(line));
    }

    /** Sends what the person typed (nothing for a blank line) and shows it as theirs. */
    void send(String line) {
        if (over || line.isBlank()) {
            return;
        }
        typed.accept(line);
        append(texts.get("chat.you") + ": " + Texts.plain(line));
        input.setText("");
    }

    /** Ends the chat from this side, as End chat does, saying {@code why} in the lines. */
    void endChat(String why) {
        if (!over) {
            ended(why);
            endByPerson.run();
        }
    }

    /** The chat is over: shown in the lines; nothing can be sent any more. */
    void ended(String reason) {
        if (over) {
            return;
        }
        over = true;
        append(texts.get("chat.ended", Texts.plain(reason)));
        input.setEnabled(false);
        send.setEnabled(false);
        end.setEnabled(false);
    }

    boolean isOver() {
        return over;
    }

    /** Gives the keyboard to the field the person types into. */
    void focusInput() {
        input.requestFocusInWindow();
    }

    String transcript() {
        return lines.getText();
    }

    private void append(String text) {
        if (!lines.getText().isEmpty()) {
            lines.append("\n");
        }
        lines.append(text);
        lines.setCaretPosition(lines.getDocument().getLength());
    }
}
