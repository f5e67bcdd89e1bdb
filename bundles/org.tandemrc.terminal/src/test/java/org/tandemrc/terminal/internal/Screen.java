package org.tandemrc.terminal.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** What the terminal printed, with a wait for expected output. */
final class Screen extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        bytes.write(b);
        notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
        notifyAll();
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits (generously) until the output contains {@code expected}, counted {@code times}. */
    synchronized void await(String expected, int times) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(text(), expected) < times) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected " + times + "x <" + expected + "> in:\n" + text());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    void await(String expected) throws InterruptedException {
        await(expected, 1);
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
