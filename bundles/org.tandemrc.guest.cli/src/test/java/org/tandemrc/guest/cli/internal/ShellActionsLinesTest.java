package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** A Host's text stream reaches the terminal as text: lines, UTF-8 cut anywhere, no control character live. */
class ShellActionsLinesTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ShellActions.Lines lines = new ShellActions.Lines(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void escapeSequencesFromTheHostAreShownNotObeyed() {
        lines.add(ByteBuffer.wrap("ok\n\u001b[2J\u001b]0;owned\u0007title\r\n\u009b31mred\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ok\n\\x1b[2J\\x1b]0;owned\\x07title\n\\x9b31mred\n", printed());
    }

    @Test
    void aCharacterCutBetweenTwoChunksStaysWhole() {
        byte[] euro = "€ 5\n".getBytes(StandardCharsets.UTF_8);
        lines.add(ByteBuffer.wrap(euro, 0, 1));
        lines.add(ByteBuffer.wrap(euro, 1, euro.length - 1));
        assertEquals("€ 5\n", printed());
    }

    @Test
    void theLastLineWithoutItsEndIsPrintedAtTheEndAndBrokenBytesAreReplaced() {
        lines.add(ByteBuffer.wrap(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xe2, (byte) 0x82}));
        assertEquals("", printed());
        lines.flush();
        assertEquals("a\uFFFDb\uFFFD\n", printed());
    }

    @Test
    void anEndlessLineIsCutNotHeldWithoutBound() {
        byte[] line = new byte[200_000];
        java.util.Arrays.fill(line, (byte) 'x');
        lines.add(ByteBuffer.wrap(line));
        assertEquals(3, printed().split("\n").length);
    }
}
