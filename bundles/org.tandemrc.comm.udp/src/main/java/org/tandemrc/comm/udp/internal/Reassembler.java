package org.tandemrc.comm.udp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Puts in-order fragments back together into whole messages. The length a first fragment announces is
 * checked against the link's limit before anything is allocated; fragments that do not add up to the
 * announced length are a protocol violation.
 */
final class Reassembler {

    /** Where whole messages and the peer's close go. */
    interface Sink {
        void message(ByteBuffer message);

        void closed(String reason);
    }

    /** The peer broke the protocol; the link must be reset with this message. */
    static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message);
        }
    }

    private final int maxMessage;
    private byte[] message;
    private int filled;

    Reassembler(int maxMessage) {
        this.maxMessage = maxMessage;
    }

    /** Checks the length a first fragment announces, before any fragment is stored. */
    static void checkAnnounced(long length, int maxMessage) throws Violation {
        if (length > maxMessage) {
            throw new Violation("the peer announced a message of " + length + " bytes, over the link's limit of "
                    + maxMessage + " bytes");
        }
    }

    /**
     * The next fragment in sequence order.
     *
     * @param flags   {@link Packet#FIRST}, {@link Packet#LAST}, {@link Packet#CLOSE}
     * @param length  the announced message length (first fragments only)
     * @param payload the fragment's bytes, read from {@code offset}
     */
    void fragment(int flags, long length, byte[] payload, int offset, int size, Sink sink) throws Violation {
        if ((flags & Packet.CLOSE) != 0) {
            if (message != null) {
                throw new Violation("the peer closed in the middle of a message");
            }
            sink.closed(new String(payload, offset, size, StandardCharsets.UTF_8));
            return;
        }
        if ((flags & Packet.FIRST) != 0) {
            if (message != null) {
                throw new Violation("the peer started a message before finishing the previous one");
            }
            checkAnnounced(length, maxMessage);
            if ((flags & Packet.LAST) != 0) {
                if (size != length) {
                    throw new Violation("a one-fragment message of " + size + " bytes announced " + length);
                }
                sink.message(ByteBuffer.wrap(payload, offset, size));
                return;
            }
            message = new byte[(int) length];
            filled = 0;
        } else if (message == null) {
            throw new Violation("the peer sent a fragment outside any message");
        }
        if (size > message.length - filled) {
            throw new Violation("the peer sent more bytes than the " + message.length + " it announced");
        }
        System.arraycopy(payload, offset, message, filled, size);
        filled += size;
        if ((flags & Packet.LAST) != 0) {
            if (filled != message.length) {
                throw new Violation("the peer ended a message after " + filled + " of " + message.length + " bytes");
            }
            byte[] whole = message;
            message = null;
            sink.message(ByteBuffer.wrap(whole));
        }
    }

    /** Bytes held for a message not yet complete. */
    int buffered() {
        return message == null ? 0 : message.length;
    }
}
