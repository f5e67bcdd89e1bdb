package org.tandemrc.protocol.srp;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Sent by the Guest to the Host in answer to a {@link Challenge}: the SRP client public value A and the
 * client proof bound to the connection's key-exchange transcript. Neither reveals the password.
 *
 * @param clientPublic the SRP public value A
 * @param proof the client proof (HMAC-SHA256, 32 bytes for a well-formed response)
 */
public record ClientResponse(BigInteger clientPublic, byte[] proof) {

    /**
     * Creates a response; the proof array is copied.
     *
     * @param clientPublic the SRP public value A
     * @param proof the client proof
     */
    public ClientResponse {
        Objects.requireNonNull(clientPublic, "clientPublic");
        proof = Objects.requireNonNull(proof, "proof").clone();
    }

    /**
     * Returns the client proof.
     *
     * @return a copy of the proof
     */
    @Override
    public byte[] proof() {
        return proof.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientResponse other
                && clientPublic.equals(other.clientPublic)
                && Arrays.equals(proof, other.proof);
    }

    @Override
    public int hashCode() {
        return 31 * clientPublic.hashCode() + Arrays.hashCode(proof);
    }

    @Override
    public String toString() {
        return "ClientResponse[clientPublic=" + clientPublic.toString(16) + ", proof="
                + HexFormat.of().formatHex(proof) + "]";
    }
}
