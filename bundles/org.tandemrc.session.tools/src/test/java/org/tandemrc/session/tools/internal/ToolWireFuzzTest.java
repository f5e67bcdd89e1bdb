package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tandemrc.protocol.ProtocolException;

/** Remote-management messages both ways: a Guest's requests as the Host reads them, a Host's answers as the Guest does. */
class ToolWireFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void hostReadsRequest(byte[] input) {
        try {
            ToolWire.readRequest(ByteBuffer.wrap(input));
        } catch (ProtocolException refused) {
            // declared refusal
        }
    }

    @FuzzTest(maxDuration = "5m")
    void guestReadsAnswer(byte[] input) {
        try {
            ToolWire.readAnswer(ByteBuffer.wrap(input));
        } catch (ProtocolException refused) {
            // declared refusal
        }
    }
}
