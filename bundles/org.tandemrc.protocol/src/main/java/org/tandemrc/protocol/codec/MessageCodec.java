package org.tandemrc.protocol.codec;

import java.nio.ByteBuffer;

import org.tandemrc.protocol.ProtocolException;

/**
 * The codec of one protocol's messages: {@code M} is the protocol's sealed interface of message records,
 * so a receiver switches over every kind the peer may send, and a fuzz target or a round-trip test can
 * drive any protocol the same way.
 *
 * @param <M> the protocol's message type
 */
public interface MessageCodec<M> {

    /** The message's bytes. */
    ByteBuffer encode(M message);

    /**
     * Reads one whole message.
     *
     * @throws ProtocolException when the bytes are not a well-formed message of this protocol
     */
    M decode(ByteBuffer message) throws ProtocolException;
}
