package org.tandemrc.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The node's log: one file, {@code data/log/tandem.log}, for the kernel, the framework and every
 * bundle ({@link System.Logger} and java.util.logging both land here). Stray output of bundles on
 * standard output and error is captured into it too, so the terminal shows only what the launcher says.
 */
final class NodeLog {

    private NodeLog() {
    }

    /**
     * Keeps the log open while shutdown hooks run: the JDK's own LogManager closes every handler in a
     * hook of its own, which would lose what the node logs while it stops. Selected with
     * {@code -Djava.util.logging.manager} (see {@link Main}); {@link #close()} ends it.
     */
    public static final class Manager extends LogManager {
        private volatile boolean closing;

        @Override
        public void reset() {
            if (closing || !shuttingDown()) {
                super.reset();
            }
        }

        private static boolean shuttingDown() {
            try {
                Thread probe = new Thread(() -> { });
                Runtime.getRuntime().addShutdownHook(probe);
                Runtime.getRuntime().removeShutdownHook(probe);
                return false;
            } catch (IllegalStateException e) {
                return true;
            }
        }

        void closeNow() {
            closing = true;
            super.reset();
        }
    }

    /** Flushes and closes the log; the last thing a node does. */
    static void close() {
        if (LogManager.getLogManager() instanceof Manager m) {
            m.closeNow();
        }
    }

    static void install(Path file) throws IOException {
        toFile(file);
        System.setOut(new PrintStream(new LineLogger(Logger.getLogger("stdout"), Level.INFO), true,
                StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new LineLogger(Logger.getLogger("stderr"), Level.WARNING), true,
                StandardCharsets.UTF_8));
    }

    /** Sends every log record of this JVM to {@code file}, appended, one record a line. */
    static void toFile(Path file) throws IOException {
        LogManager.getLogManager().reset();
        FileHandler handler = new FileHandler(file.toString(), true);
        handler.setFormatter(new LineFormatter());
        handler.setEncoding("UTF-8");
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(handler);
    }

    /** Turns written lines into log records. */
    private static final class LineLogger extends OutputStream {
        private final Logger logger;
        private final Level level;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineLogger(Logger logger, Level level) {
            this.logger = logger;
            this.level = level;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else if (line.size() < 64 * 1024) {
                line.write(b);
            }
        }

        @Override
        public synchronized void flush() {
            // Lines are logged when complete; a partial line waits for its end.
        }

        private void flushLine() {
            String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
            line.reset();
            if (!text.isEmpty()) {
                logger.log(level, text);
            }
        }
    }
}
