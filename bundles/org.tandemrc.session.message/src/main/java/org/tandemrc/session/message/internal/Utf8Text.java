package org.tandemrc.session.message.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 for text that crosses the wire. */
final class Utf8Text {

    /** At most this many characters (Unicode code points) in one message. */
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

    static ByteBuffer encode(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
