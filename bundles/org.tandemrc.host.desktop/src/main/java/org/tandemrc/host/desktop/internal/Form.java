package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.KeyboardFocusManager;
import java.awt.event.KeyEvent;
import java.util.List;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.WindowConstants;

/**
 * A window of the desktop's forms (Ask for help, Invite a supporter, Connected Guests): titled with the
 * product, hidden by closing or Esc, a heading on top, labelled fields (each label with its mnemonic) or
 * another body in the middle, the buttons at the bottom right. Event dispatch thread only.
 */
final class Form {

    final JFrame frame;
    final JLabel heading;
    /** The form's text size. */
    final Font plain;
    private final JPanel content;
    private final Texts texts;
    private final Scale scale;
    private JPanel fields;
    private int row;

    /** A form whose title and heading are the texts of {@code key.title} and {@code key.heading}. */
    Form(Texts texts, Scale scale, String key) {
        this.texts = texts;
        this.scale = scale;
        frame = new JFrame(texts.get("product") + ": " + texts.get(key + ".title"));
        frame.setDefaultCloseOperation(WindowConstants.HIDE_ON_CLOSE);
        content = new JPanel(new BorderLayout(0, scale.px(10)));
        int gap = scale.px(14);
        content.setBorder(BorderFactory.createEmptyBorder(gap, gap, gap, gap));
        heading = new JLabel(texts.get(key + ".heading"));
        heading.setFont(scale.font(Font.BOLD, 15));
        content.add(heading, BorderLayout.NORTH);
        plain = scale.font(Font.PLAIN, 13);
    }

    /** A row of fields: the label of {@code key} (its mnemonic from {@code key.mnemonic}) and {@code value}. */
    void row(String key, JComponent value) {
        if (fields == null) {
            fields = new JPanel(new GridBagLayout());
            content.add(fields, BorderLayout.CENTER);
        }
        GridBagConstraints c = new GridBagConstraints();
        c.gridy = row++;
        c.anchor = GridBagConstraints.FIRST_LINE_START;
        c.insets = new Insets(scale.px(3), 0, scale.px(3), scale.px(12));
        JLabel label = new JLabel(texts.get(key));
        label.setFont(plain);
        label.setDisplayedMnemonic(texts.mnemonic(key + ".mnemonic"));
        JComponent target = value instanceof JScrollPane s ? (JComponent) s.getViewport().getView() : value;
        label.setLabelFor(target);
        target.setFont(plain);
        fields.add(label, c);
        c.gridx = 1;
        c.weightx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.insets = new Insets(scale.px(3), 0, scale.px(3), 0);
        fields.add(value, c);
    }

    /** The middle of a form without fields. */
    void body(JComponent body) {
        content.add(body, BorderLayout.CENTER);
    }

    /** A button of the form's size: the text of {@code key}, the mnemonic of {@code key.mnemonic}. */
    JButton button(String key, Runnable action) {
        return Buttons.of(texts, key, plain, action);
    }

    /** Text that wraps at words; Tab leaves it for the next control instead of typing a tab into it. */
    static void wrapped(JTextArea area, boolean editable) {
        area.setEditable(editable);
        area.setLineWrap(true);
        area.setWrapStyleWord(true);
        area.setFocusTraversalKeys(KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        area.setFocusTraversalKeys(KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
    }

    /** Puts the buttons at the bottom right, Esc running {@code hide}, and sizes the window. */
    void finish(List<JButton> buttons, Runnable hide) {
        JPanel row = new JPanel(new FlowLayout(FlowLayout.RIGHT, scale.px(8), 0));
        buttons.forEach(row::add);
        content.add(row, BorderLayout.SOUTH);
        frame.getRootPane().registerKeyboardAction(e -> hide.run(), KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        frame.setContentPane(content);
        frame.pack();
    }
}
