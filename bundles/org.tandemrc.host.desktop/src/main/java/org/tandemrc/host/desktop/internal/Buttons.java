package org.tandemrc.host.desktop.internal;

import java.awt.Font;

import javax.swing.AbstractAction;
import javax.swing.JButton;

/** The desktop's buttons: the text of {@code key}, the mnemonic of {@code key.mnemonic}, one action. */
final class Buttons {

    private Buttons() {
    }

    static JButton of(Texts texts, String key, Font font, Runnable action) {
        JButton b = new JButton(new AbstractAction(texts.get(key)) {
            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                action.run();
            }
        });
        b.setMnemonic(texts.mnemonic(key + ".mnemonic"));
        b.setFont(font);
        return b;
    }
}
