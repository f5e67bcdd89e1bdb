package org.tandemrc.session.files.internal;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The fields of file messages as both sides read them: entries of a listing, offers, delta signatures,
 * paths. The declared refusal is {@link IllegalArgumentException}.
 */
class FileWireFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void fields(FuzzedDataProvider data) {
        byte[] reads = data.consumeBytes(12);
        FileWire.In in = new FileWire.In(ByteBuffer.wrap(data.consumeRemainingAsBytes()));
        try {
            for (byte r : reads) {
                switch (r & 7) {
                    case 0 -> in.entry();
                    case 1 -> Offer.read(in);
                    case 2 -> in.text();
                    case 3 -> in.bytes(FileWire.MAX_PATH);
                    case 4 -> in.i64();
                    case 5 -> in.i32();
                    case 6 -> in.bool();
                    default -> in.rest();
                }
            }
        } catch (IllegalArgumentException refused) {
            // declared refusal
        }
    }

    @FuzzTest(maxDuration = "5m")
    void signature(byte[] input) {
        try {
            Delta.Signature.decode(ByteBuffer.wrap(input));
        } catch (IllegalArgumentException refused) {
            // declared refusal
        }
    }
}
