package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Control messages (channel 0): logon, session requests and their answers travel as these. */
class ControlMessageFuzzTest {

    /** Decoding refuses with ProtocolException only; what it accepts encodes back to the same message. */
    @FuzzTest(maxDuration = "5m")
    void decode(byte[] input) {
        ControlMessage m;
        try {
            m = ControlMessage.decode(ByteBuffer.wrap(input));
        } catch (ProtocolException refused) {
            return;
        }
        ControlMessage again;
        try {
            again = ControlMessage.decode(ByteBuffer.wrap(m.encode()));
        } catch (ProtocolException e) {
            throw new AssertionError("an accepted control message does not decode after encoding: " + m, e);
        }
        if (!again.type().equals(m.type()) || !again.fields().keySet().equals(m.fields().keySet())) {
            throw new AssertionError("control message changed on the way round: " + m + " / " + again);
        }
        for (String name : m.fields().keySet()) {
            if (!Arrays.equals(m.fields().get(name), again.fields().get(name))) {
                throw new AssertionError("field " + name + " changed on the way round");
            }
        }
        // What roles read from a message: text and number fields must refuse, not fail.
        for (String name : m.fields().keySet()) {
            m.text(name, "");
            try {
                m.integer(name, 0, 1000);
            } catch (ProtocolException refused) {
                // declared refusal
            }
            try {
                m.bigInteger(name, 384);
            } catch (ProtocolException refused) {
                // declared refusal
            }
        }
    }
}
