package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.Insets;
import java.awt.event.KeyEvent;

import javax.swing.BorderFactory;

import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.KeyStroke;
import javax.swing.WindowConstants;

/**
 * The desktop's forms: their window (titled with the product, hidden by closing or Esc), their content
 * under a heading, and a label with its mnemonic beside the field it names, one row each.
 */
final class Fields {

    private Fields() {
    }

    /** A form's window, titled with the product and the text of {@code titleKey}; closing it hides it. */
    static JFrame frame(Texts texts, String titleKey) {
        JFrame frame = new JFrame(texts.get("product") + ": " + texts.get(titleKey));
        frame.setDefaultCloseOperation(WindowConstants.HIDE_ON_CLOSE);
        return frame;
    }

    /** A form's content: {@code heading} on top, in the form's heading font, and every form's margin. */
    static JPanel content(Scale scale, JLabel heading) {
        JPanel content = new JPanel(new BorderLayout(0, scale.px(10)));
        int gap = scale.px(14);
        content.setBorder(BorderFactory.createEmptyBorder(gap, gap, gap, gap));
        heading.setFont(scale.font(Font.BOLD, 15));
        content.add(heading, BorderLayout.NORTH);
        return content;
    }

    /** Puts the content in the window, Esc running {@code hide}, and sizes the window to it. */
    static void finish(JFrame frame, JPanel content, Runnable hide) {
        frame.getRootPane().registerKeyboardAction(e -> hide.run(), KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        frame.setContentPane(content);
        frame.pack();
    }

    /** Adds the label of {@code key} and {@code value} as row {@code row} of a GridBagLayout panel; the next row. */
    static int add(Texts texts, JPanel fields, int row, String key, JComponent value, Font font, Scale scale) {
        GridBagConstraints c = new GridBagConstraints();
        c.gridy = row;
        c.anchor = GridBagConstraints.FIRST_LINE_START;
        c.insets = new Insets(scale.px(3), 0, scale.px(3), scale.px(12));
        JLabel label = new JLabel(texts.get(key));
        label.setFont(font);
        label.setDisplayedMnemonic(texts.mnemonic(key + ".mnemonic"));
        JComponent target = value instanceof JScrollPane s ? (JComponent) s.getViewport().getView() : value;
        label.setLabelFor(target);
        target.setFont(font);
        fields.add(label, c);
        c.gridx = 1;
        c.weightx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.insets = new Insets(scale.px(3), 0, scale.px(3), 0);
        fields.add(value, c);
        return row + 1;
    }
}
