package org.tandemrc.screen.x11.testing;

import java.awt.Frame;
import java.awt.TextArea;
import java.awt.event.KeyAdapter;
import java.awt.event.KeyEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small X client of the tests' own: a window at the top left with a text area; after every key it
 * writes what the area holds to the file given as argument. Run in its own process with DISPLAY set.
 */
public final class TypingTarget {

    private TypingTarget() {
    }

    /**
     * Starts the target in its own process on an X display and waits until its window is up.
     *
     * @param dir where it writes what it holds ({@code typed.txt}) and its log
     * @throws IOException when it does not come up within 20 s (the message holds its log)
     */
    public static Running start(String display, Path dir) throws IOException, InterruptedException {
        Path typed = dir.resolve("typed.txt");
        Path log = dir.resolve("typing-target.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TypingTarget.class.getName(), typed.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DISPLAY", display);
        Running running = new Running(pb.start(), typed);
        Path ready = dir.resolve("typed.txt.ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(ready)) {
            if (System.nanoTime() > deadline) {
                running.close();
                throw new IOException("the typing target did not start: " + Files.readString(log));
            }
            Thread.sleep(50); // waiting for the other process's window
        }
        return running;
    }

    /** A running target. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path typed;

        private Running(Process process, Path typed) {
            this.process = process;
            this.typed = typed;
        }

        /** Waits up to 10 s for the window to hold {@code expected}; returns what it holds then. */
        public String awaitText(String expected) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String got = "";
            while (System.nanoTime() < deadline) {
                got = Files.exists(typed) ? Files.readString(typed, StandardCharsets.UTF_8) : "";
                if (got.equals(expected)) {
                    break;
                }
                Thread.sleep(50); // the other process writes the file after each key
            }
            return got;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
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
