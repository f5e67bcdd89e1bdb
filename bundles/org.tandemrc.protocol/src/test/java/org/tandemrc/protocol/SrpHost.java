package org.tandemrc.protocol;

import java.security.SecureRandom;

import org.tandemrc.protocol.logon.LogonMessages;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpServer;

/**
 * The Host's half of the shared-password logon for tests and benchmarks that play a Host on the protocol
 * jar: a challenge of its verifier for {@code auth.start}, the check of {@code auth.proof}, in the messages
 * of {@link LogonMessages} as the Host role sends them. What the Host answers stays the caller's. One per
 * connection. In the protocol test jar, with the hostile-peer kit.
 */
public final class SrpHost {

    private final PasswordVerifier verifier;
    private final SecureRandom random;
    private SrpServer srp;

    public SrpHost(PasswordVerifier verifier, SecureRandom random) {
        this.verifier = verifier;
        this.random = random;
    }

    /** Answers the Guest's {@code auth.start}: a new SRP exchange, whose challenge goes to {@code c}. */
    public void challenge(Connection c) {
        srp = new SrpServer("*", verifier, random);
        c.send(LogonMessages.challenge(srp.challenge()));
    }

    /**
     * Checks the Guest's {@code auth.proof} on {@code c} against the last challenge.
     *
     * @return the Host's own proof, for {@code auth.ok}
     * @throws AuthenticationFailed when the Guest's password is not the verifier's
     * @throws ProtocolException when the message is malformed or no challenge was sent
     */
    public byte[] verify(Connection c, ControlMessage proof) throws ProtocolException, AuthenticationFailed {
        if (srp == null) {
            throw new ProtocolException("auth.proof before auth.start");
        }
        return srp.verify(LogonMessages.proof(proof), c.binding());
    }
}
