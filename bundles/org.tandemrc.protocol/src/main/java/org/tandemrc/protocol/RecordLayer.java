package org.tandemrc.protocol;

import java.nio.ByteBuffer;

import org.tandemrc.api.comm.Link;

/**
 * The record layer of a {@link Connection}: one Link message per record, sealed and opened by a
 * {@link RecordCipher} per direction once the handshake has keys. Records are numbered as they are
 * sealed, so callers seal and send under the connection's lock: two threads must not put records on
 * the link in another order than they were numbered.
 */
final class RecordLayer {

    private volatile Link link;
    private RecordCipher sealer;
    private RecordCipher opener;
    private volatile long lastSent = System.currentTimeMillis();

    void attach(Link l) {
        link = l;
    }

    /** The link, or null before it opened. */
    Link link() {
        return link;
    }

    void keys(Handshake.Keys keys) {
        sealer = keys.sealer();
        opener = keys.opener();
    }

    long lastSent() {
        return lastSent;
    }

    /** Sends a handshake message in clear. */
    void sendClear(byte[] message) {
        Link l = link;
        if (l != null) {
            l.send(ByteBuffer.wrap(message));
            lastSent = System.currentTimeMillis();
        }
    }

    /** Seals one frame and sends it; under the connection's lock, once keyed. */
    void send(byte[] plainFrame) {
        link.send(ByteBuffer.wrap(sealer.seal(plainFrame)));
        lastSent = System.currentTimeMillis();
    }

    /** Seals a data frame made of its header and a chunk of channel data (not copied first) and sends it. */
    void sendData(byte[] header, ByteBuffer chunk) {
        link.send(ByteBuffer.wrap(sealer.seal(header, chunk)));
        lastSent = System.currentTimeMillis();
    }

    /**
     * Opens the next record; once keyed, on the link's thread, which hands records over one at a time.
     * Not under the connection's lock: decrypting what arrives does not hold up what this side sends.
     * The plaintext is valid until the next record is opened.
     */
    ByteBuffer open(ByteBuffer record) throws ProtocolException {
        return opener.open(record);
    }

    /** Whether the link has no room for more now; channel data waits for {@link Connection#writable}. */
    boolean congested() {
        return link.congested();
    }
}
