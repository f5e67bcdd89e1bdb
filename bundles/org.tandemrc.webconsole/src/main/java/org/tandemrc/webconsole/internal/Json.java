package org.tandemrc.webconsole.internal;

import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The console's JSON, on Jackson: request bodies, WebSocket messages and the history parse into
 * {@code Map}, {@code List}, {@code String}, {@code Long}/{@code BigInteger}/{@code Double},
 * {@code Boolean} and {@code null}; answers and events are written from the same types (and records).
 * Parsing is strict (no comments, no trailing text) and bounded in size and depth, as every byte
 * comes from whatever browser reaches the port.
 */
final class Json {

    /** The largest request body the console reads, in characters. */
    static final int MAX_CHARS = 4 * 1024 * 1024;
    private static final int MAX_DEPTH = 32;

    private static final ObjectMapper MAPPER = JsonMapper.builder(factory())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private Json() {
    }

    private static JsonFactory factory() {
        JsonFactory f = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH).maxStringLength(MAX_CHARS).maxDocumentLength(MAX_CHARS).build()).build();
        f.setCharacterEscapes(new HtmlSafe());
        return f;
    }

    /** Thrown for text that is not JSON, with the position. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    static Object parse(String text) throws Malformed {
        if (text.length() > MAX_CHARS) {
            throw new Malformed("the request is larger than " + MAX_CHARS + " characters");
        }
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new Malformed("malformed JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at character " + e.getLocation().getCharOffset()));
        }
    }

    /** Parses text that must be an object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String text) throws Malformed {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new Malformed("the request is not a JSON object");
        }
        return (Map<String, Object>) v;
    }

    /** Writes maps, iterables, arrays, records, strings, numbers, booleans, enums (by name) and null. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Keeps "</script>" and U+2028/2029 harmless wherever the text lands. */
    private static final class HtmlSafe extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        HtmlSafe() {
            for (char c : new char[] {'<', '>', '&'}) {
                ascii[c] = ESCAPE_CUSTOM;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029
                    ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
