package org.tandemrc.session.files.internal;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tandemrc.protocol.ProtocolException;

/**
 * File messages as both sides read them (entries of a listing, offers with delta signatures, paths,
 * file data), and delta signatures alone. The declared refusals are {@link ProtocolException} for a
 * message and {@link IllegalArgumentException} for a signature.
 */
class FileWireFuzzTest {

    /** Every message type the codec knows, so most inputs reach a message's fields. */
    private static final int[] TYPES = {FileWire.STAT, FileWire.LIST, FileWire.MKDIR, FileWire.DELETE, FileWire.RENAME,
        FileWire.SYMLINK, FileWire.PUT, FileWire.GET, FileWire.CANCEL, FileWire.OK, FileWire.ERROR, FileWire.ENTRY,
        FileWire.ENTRIES, FileWire.OFFER, FileWire.DATA_START, FileWire.DATA_COPY, FileWire.DATA_LITERAL,
        FileWire.DATA_ZEROS, FileWire.DATA_END, FileWire.ACK, FileWire.ABANDON};

    @FuzzTest(maxDuration = "5m")
    void fields(FuzzedDataProvider data) {
        int type = data.consumeBoolean() ? data.pickValue(TYPES) : data.consumeInt(0, 255);
        byte[] rest = data.consumeRemainingAsBytes();
        ByteBuffer message = ByteBuffer.allocate(1 + rest.length).put((byte) type).put(rest).flip();
        try {
            FileWire.Message m = FileWire.decode(message);
            FileWire.decode(FileWire.encode(m));
        } catch (ProtocolException refused) {
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
