package org.tandemrc.webconsole.internal;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The console's request bodies and WebSocket messages, which arrive from any browser that reaches the
 * port (before or after logon). Refusal: {@link Json.Malformed}; what is accepted writes and parses back
 * to the same value.
 */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void parse(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Object value;
        try {
            value = Json.parse(text);
        } catch (Json.Malformed refused) {
            return;
        }
        String written = Json.write(value);
        try {
            Object again = Json.parse(written);
            if (!java.util.Objects.equals(again, value) && !Json.write(again).equals(written)) {
                throw new AssertionError("JSON changed on the way round: " + written);
            }
        } catch (Json.Malformed e) {
            throw new AssertionError("the console cannot read what it wrote: " + written, e);
        }
    }
}
