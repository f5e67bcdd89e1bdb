package org.tandemrc.protocol.gateway;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tandemrc.protocol.ProtocolException;

/** The Gateway's messages before a route is spliced: both the Gateway and the device read them. */
class GatewayWireFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void decode(byte[] input) {
        try {
            GatewayWire.decode(ByteBuffer.wrap(input));
        } catch (ProtocolException refused) {
            // declared refusal
        }
    }
}
