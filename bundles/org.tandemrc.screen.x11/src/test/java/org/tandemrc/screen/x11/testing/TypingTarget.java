package org.tandemrc.screen.x11.testing;

import java.awt.Frame;
import java.awt.TextArea;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small X client of the tests' own: a window at the top left with a text area; after every key it
 * writes what the area holds to the file given as argument. Run in its own process with DISPLAY set.
 */
public final class TypingTarget {

    private TypingTarget() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Frame frame = new Frame("typing target");
        TextArea area = new TextArea();
        area.addKeyListener(new KeyAdapter() {
            @Override
            public void keyReleased(KeyEvent e) {
                try {
                    Files.writeString(out, area.getText(), StandardCharsets.UTF_8);
                } catch (java.io.IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        });
        frame.add(area);
        frame.setBounds(0, 0, 400, 300);
        frame.setVisible(true);
        area.requestFocus();
        Files.writeString(out.resolveSibling(out.getFileName() + ".ready"), "ready");
    }
}
