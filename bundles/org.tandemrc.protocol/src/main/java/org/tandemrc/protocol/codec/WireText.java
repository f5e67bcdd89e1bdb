package org.tandemrc.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Text messages on a channel (chat lines, messages to the Host's person): strict UTF-8, at most
 * {@value #MAX_CHARS} characters (Unicode code points) each, checked before anything is shown.
 */
public final class WireText {

    /** At most this many characters (Unicode code points) in one message. */
    public static final int MAX_CHARS = 4000;
    /** A UTF-8 code point takes at most 4 bytes. */
    public static final int MAX_BYTES = MAX_CHARS * 4;

    /** A message that is not acceptable text. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean tooLong;

        Rejected(boolean tooLong) {
            super(tooLong ? "longer than " + MAX_CHARS + " characters" : "not valid UTF-8 text");
            this.tooLong = tooLong;
        }

        /** True when the text is too long, false when it is not well-formed UTF-8. */
        public boolean tooLong() {
            return tooLong;
        }
    }

    private WireText() {
    }

    /** The text of a message; does not consume the buffer. */
    public static String read(ByteBuffer message) throws Rejected {
        if (message.remaining() > MAX_BYTES) {
            throw new Rejected(true);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(message.duplicate())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Rejected(false);
        }
        if (length(text) > MAX_CHARS) {
            throw new Rejected(true);
        }
        return text;
    }

    /** The number of characters (code points). */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** A message of the text (its length is the caller's to check, see {@link #pieces}). */
    public static ByteBuffer encode(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The longest start of {@code text} (null is empty) that is at most {@code maxBytes} in UTF-8, never
     * cut inside a character: for text this side sends into a field of bounded bytes (a reason, a name).
     */
    public static String clip(String text, int maxBytes) {
        if (text == null) {
            return "";
        }
        int bytes = 0;
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes > maxBytes) {
                return text.substring(0, i);
            }
            i += Character.charCount(c);
        }
        return text;
    }

    /** Splits text into pieces of at most {@value #MAX_CHARS} characters, never inside a code point. */
    public static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.length();
            if (text.codePointCount(start, end) > MAX_CHARS) {
                end = text.offsetByCodePoints(start, MAX_CHARS);
            }
            out.add(text.substring(start, end));
            start = end;
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }
}
