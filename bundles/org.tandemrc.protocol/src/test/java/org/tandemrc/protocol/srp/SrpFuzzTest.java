package org.tandemrc.protocol.srp;

import java.math.BigInteger;
import java.security.SecureRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The SRP values a peer sends: A and the proof to a Host, the Argon2id parameters, salt and B to a
 * Guest. The declared refusal is {@link AuthenticationFailed}.
 */
class SrpFuzzTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] BINDING = new byte[32];
    // The smallest legal Argon2id cost: the target measures the SRP checks, not the password hash.
    private static final PasswordVerifier VERIFIER = PasswordVerifier.create("user", "secret".toCharArray(), RANDOM,
            1024, 1, 1);

    @FuzzTest(maxDuration = "5m")
    void hostReadsResponse(FuzzedDataProvider data) {
        SrpServer server = data.consumeBoolean() ? new SrpServer("user", VERIFIER, RANDOM)
                : SrpServer.decoy("user", RANDOM);
        server.challenge();
        byte[] a = data.consumeBytes(data.consumeInt(0, 400));
        byte[] proof = data.consumeRemainingAsBytes();
        try {
            server.verify(new ClientResponse(new BigInteger(1, a), proof), BINDING);
            throw new AssertionError("a made-up proof was accepted");
        } catch (AuthenticationFailed refused) {
            // declared refusal
        }
    }

    @FuzzTest(maxDuration = "5m")
    void guestReadsChallenge(FuzzedDataProvider data) {
        int m = data.consumeInt();
        int t = data.consumeInt();
        int p = data.consumeInt();
        byte[] salt = data.consumeBytes(data.consumeInt(0, 80));
        byte[] b = data.consumeRemainingAsBytes();
        try {
            Challenge.checkBounds(m, t, p, salt.length);
            // Legal parameters make the Guest pay what the Host asks, by design (bounded by checkBounds);
            // the cheapest legal ones keep the target about B and the salt.
            m = 1024;
            t = 1;
            p = 1;
        } catch (IllegalArgumentException outOfBounds) {
            // the client must refuse these itself, below
        }
        SrpClient client = new SrpClient("user", "secret".toCharArray(), RANDOM);
        try {
            client.respond(new Challenge(m, t, p, salt, new BigInteger(1, b)), BINDING);
        } catch (AuthenticationFailed refused) {
            // declared refusal
        }
    }
}
