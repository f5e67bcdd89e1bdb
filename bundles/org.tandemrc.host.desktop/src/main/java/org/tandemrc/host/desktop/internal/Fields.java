package org.tandemrc.host.desktop.internal;

import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.Insets;

import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;

/** The desktop's forms: a label with its mnemonic, and the field it names, one row each. */
final class Fields {

    private Fields() {
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
