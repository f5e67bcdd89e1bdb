package org.tandemrc.api.security;

import java.io.IOException;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One access method: how a client proves who it is, as a challenge and a proof, so that a password
 * never has to cross the wire (the built-in methods, {@code shared-password} and {@code guest-id}, are
 * SRP-6a over password verifiers). Registered as a service with {@value #METHOD_PROPERTY} set to
 * {@link #method()}; a node's configuration selects the method by that name, and a registered service
 * replaces a built-in method of the same name.
 *
 * <p>The node's logon engine does everything around the exchange: it limits attempts per address and
 * per target, charges each proof as it arrives, runs this interface off the network threads, sends
 * every answer the same time after its proof, and records the events. The challenge and proof travel
 * as named byte strings in the node's logon messages, which carry the SRP values ({@code m}, {@code t},
 * {@code p}, {@code salt}, {@code B}; {@code A}, {@code M1}; {@code M2}, {@code K}): a method for the
 * existing Guests speaks in those names.
 */
@ConsumerType
public interface Authenticator {

    /** Service property naming the access method (also on an {@link AccessPolicy} for that method). */
    String METHOD_PROPERTY = "tandem.auth.method";

    /** The access method's name, e.g. {@code shared-password}. */
    String method();

    /**
     * Begins one logon attempt. Called on a logon thread (it may read a store) after the limits
     * allowed it. For a name it does not know it must still answer with an exchange whose challenge a
     * client cannot tell from a real one and whose proof fails: a client must not learn which names
     * exist.
     *
     * @param user          the name the client gave; {@code *} for a logon without a name (a shared password)
     * @param sourceAddress the address the client connects from, in the device's syntax
     * @throws IOException              when the method's backing store is unreachable
     * @throws IllegalArgumentException when the name can never be used with this method
     */
    Exchange begin(String user, String sourceAddress) throws IOException;

    /** One attempt: a challenge out, a proof in. Used by one thread at a time, once. */
    @ConsumerType
    interface Exchange {

        /** The challenge for the client. */
        Map<String, byte[]> challenge();

        /**
         * Checks the client's proof. A wrong or malformed proof is a {@link AuthResult#denied denied}
         * result, never an exception: every byte of it comes from the peer. Counting failures and
         * acting on them is the engine's job, not this one's.
         *
         * @param proof   what the client answered
         * @param binding the hash of this connection's key exchange, which the proof must be bound to so
         *                that it cannot be replayed on another connection
         */
        AuthResult verify(Map<String, byte[]> proof, byte[] binding);
    }
}
