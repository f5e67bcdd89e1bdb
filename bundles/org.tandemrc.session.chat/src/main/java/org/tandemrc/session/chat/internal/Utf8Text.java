package org.tandemrc.session.chat.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Strict UTF-8 for text that crosses the wire. */
final class Utf8Text {

    /** At most this many characters (Unicode code points) in one line. */
    static final int MAX_CHARS = 4000;
    /** A UTF-8 code point takes at most 4 bytes. */
    static final int MAX_BYTES = MAX_CHARS * 4;

    private Utf8Text() {
    }

    /** Decodes, or returns null when the bytes are not well-formed UTF-8. Does not consume the buffer. */
    static String decode(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.duplicate())
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Splits a line into pieces of at most {@value #MAX_CHARS} characters, never inside a code point. */
    static List<String> pieces(String line) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < line.length()) {
            int end = line.length();
            if (line.codePointCount(start, end) > MAX_CHARS) {
                end = line.offsetByCodePoints(start, MAX_CHARS);
            }
            out.add(line.substring(start, end));
            start = end;
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    static ByteBuffer encode(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
