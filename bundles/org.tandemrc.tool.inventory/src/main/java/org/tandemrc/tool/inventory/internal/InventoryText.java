package org.tandemrc.tool.inventory.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.tandemrc.api.tool.ToolStream;

/**
 * The whole inventory as the text of the {@code collect} stream: readable in any front end, and read back
 * by {@code tandem guest inventory}. One record a line, its cells separated by tabs, the first cell its kind:
 *
 * <pre>
 * section  OPERATION  TITLE  COLUMN...   a table begins: its operation's id, title and column labels
 * row      VALUE...                      a row of the table begun last
 * problem  OPERATION  TITLE  SENTENCE    that table could not be read, and why
 * </pre>
 *
 * In a cell a backslash is written {@code \\}, a tab {@code \t}, a line end {@code \n} or {@code \r}, and any
 * other control character {@code \xHH}. Lines are sent in writes of at most the stream's
 * {@link ToolStream#maxWrite()}, each after the Guest took the one before.
 */
final class InventoryText {

    private final ToolStream out;
    private final StringBuilder pending = new StringBuilder();

    InventoryText(ToolStream out) {
        this.out = out;
    }

    void section(String operation, String title, List<String> columns) throws InterruptedException {
        StringBuilder line = new StringBuilder("section\t").append(cell(operation)).append('\t').append(cell(title));
        columns.forEach(c -> line.append('\t').append(cell(c)));
        line(line);
    }

    void row(List<String> cells) throws InterruptedException {
        StringBuilder line = new StringBuilder("row");
        cells.forEach(c -> line.append('\t').append(cell(c)));
        line(line);
    }

    void problem(String operation, String title, String sentence) throws InterruptedException {
        line(new StringBuilder("problem\t").append(cell(operation)).append('\t').append(cell(title)).append('\t')
                .append(cell(sentence)));
    }

    static String cell(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private void line(StringBuilder line) throws InterruptedException {
        pending.append(line).append('\n');
        // A quarter of a write at most in bytes: each UTF-8 character takes up to four.
        if (pending.length() >= out.maxWrite() / 4) {
            flush();
        }
    }

    /** Sends what is pending, in writes that fit, each once the Guest has room. */
    void flush() throws InterruptedException {
        byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
        pending.setLength(0);
        int max = out.maxWrite();
        for (int off = 0; off < bytes.length; off += max) {
            send(ByteBuffer.wrap(bytes, off, Math.min(max, bytes.length - off)));
        }
    }

    private void send(ByteBuffer chunk) throws InterruptedException {
        java.util.concurrent.CompletableFuture<Void> room = out.write(chunk).toCompletableFuture();
        while (true) {
            try {
                room.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                if (!out.isOpen()) {
                    throw new InterruptedException("the stream ended");
                }
            } catch (ExecutionException e) {
                throw new InterruptedException("the stream ended: " + e.getCause());
            }
        }
    }
}
