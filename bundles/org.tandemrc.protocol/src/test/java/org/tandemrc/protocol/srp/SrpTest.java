package org.tandemrc.protocol.srp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

import org.bouncycastle.crypto.agreement.srp.SRP6StandardGroups;
import org.junit.jupiter.api.Test;

class SrpTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BigInteger N = SRP6StandardGroups.rfc5054_3072.getN();
    private static final String ID = "alice@example.org";
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    private static PasswordVerifier small(String identity, char[] password) {
        return PasswordVerifier.create(identity, password, RANDOM, 1024, 1, 1);
    }

    /** A server holding a verifier of {@code PASSWORD} for {@code ID}. */
    private static SrpServer server() {
        return new SrpServer(ID, small(ID, PASSWORD), RANDOM);
    }

    private static byte[] binding() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void rightPasswordAgreesOnSessionKey() throws Exception {
        byte[] binding = binding();
        SrpServer server = server();
        SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);

        Challenge challenge = server.challenge();
        ClientResponse response = client.respond(challenge, binding);
        assertEquals(32, response.proof().length);
        byte[] serverProof = server.verify(response, binding);
        client.verifyServer(serverProof);

        assertEquals(32, server.sessionKey().length);
        assertArrayEquals(server.sessionKey(), client.sessionKey());
    }

    @Test
    void defaultParametersRoundTrip() throws Exception {
        PasswordVerifier stored = PasswordVerifier.create(ID, PASSWORD, RANDOM);
        assertEquals(19456, stored.memoryKiB());
        assertEquals(2, stored.iterations());
        assertEquals(1, stored.parallelism());
        assertEquals(16, stored.salt().length);
        assertTrue(stored.encode().startsWith("srp6a-argon2id$m=19456,t=2,p=1$"));

        byte[] binding = binding();
        SrpServer server = new SrpServer(ID, PasswordVerifier.decode(stored.encode()), RANDOM);
        SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
        byte[] serverProof = server.verify(client.respond(server.challenge(), binding), binding);
        client.verifyServer(serverProof);
        assertArrayEquals(server.sessionKey(), client.sessionKey());
    }

    @Test
    void wrongPasswordFails() throws Exception {
        byte[] binding = binding();
        SrpServer server = server();
        SrpClient client = new SrpClient(ID, "correct horse battery stapler".toCharArray(), RANDOM);
        ClientResponse response = client.respond(server.challenge(), binding);
        AuthenticationFailed e = assertThrows(AuthenticationFailed.class, () -> server.verify(response, binding));
        assertFalse(e.getMessage().contains("horse"));
        assertThrows(IllegalStateException.class, server::sessionKey);
        assertThrows(IllegalStateException.class, () -> server.verify(response, binding));
    }

    @Test
    void differentBindingFails() throws Exception {
        SrpServer server = server();
        SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
        ClientResponse response = client.respond(server.challenge(), binding());
        assertThrows(AuthenticationFailed.class, () -> server.verify(response, binding()));
    }

    @Test
    void forgedServerProofRejectedByClient() throws Exception {
        byte[] binding = binding();
        SrpServer server = server();
        SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
        byte[] proof = server.verify(client.respond(server.challenge(), binding), binding);
        proof[0] ^= 1;
        assertThrows(AuthenticationFailed.class, () -> client.verifyServer(proof));
        assertThrows(IllegalStateException.class, client::sessionKey);
    }

    @Test
    void identityMismatchFails() throws Exception {
        byte[] binding = binding();
        SrpServer server = server();
        SrpClient client = new SrpClient("bob@example.org", PASSWORD, RANDOM);
        ClientResponse response = client.respond(server.challenge(), binding);
        assertThrows(AuthenticationFailed.class, () -> server.verify(response, binding));
    }

    @Test
    void serverRejectsDegenerateClientPublic() {
        PasswordVerifier stored = small(ID, PASSWORD);
        for (BigInteger a : new BigInteger[] {BigInteger.ZERO, N, N.shiftLeft(1), BigInteger.ONE.negate()}) {
            SrpServer server = new SrpServer(ID, stored, RANDOM);
            server.challenge();
            byte[] binding = binding();
            AuthenticationFailed e = assertThrows(AuthenticationFailed.class,
                    () -> server.verify(new ClientResponse(a, new byte[32]), binding));
            assertEquals("invalid client public value", e.getMessage());
        }
    }

    @Test
    void clientRejectsDegenerateServerPublic() {
        PasswordVerifier stored = small(ID, PASSWORD);
        for (BigInteger b : new BigInteger[] {BigInteger.ZERO, N, N.shiftLeft(1)}) {
            Challenge hostile = new Challenge(stored.memoryKiB(), stored.iterations(), stored.parallelism(),
                    stored.salt(), b);
            SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
            AuthenticationFailed e = assertThrows(AuthenticationFailed.class,
                    () -> client.respond(hostile, binding()));
            assertEquals("invalid server public value", e.getMessage());
        }
    }

    @Test
    void hostileChallengeRejectedBeforeArgon2() {
        byte[] salt = new byte[16];
        Challenge[] hostile = {
            new Challenge(1 << 30, 1, 1, salt, BigInteger.TWO),
            new Challenge(Integer.MAX_VALUE, 1, 1, salt, BigInteger.TWO),
            new Challenge(1024, 1_000_000, 1, salt, BigInteger.TWO),
            new Challenge(1024, 1, 64, salt, BigInteger.TWO),
            new Challenge(1024, 1, 1, new byte[4], BigInteger.TWO),
            new Challenge(1024, 1, 1, new byte[65], BigInteger.TWO),
            new Challenge(-1, 1, 1, salt, BigInteger.TWO),
        };
        for (Challenge c : hostile) {
            SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
            AuthenticationFailed e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                    () -> assertThrows(AuthenticationFailed.class, () -> client.respond(c, binding())));
            assertTrue(e.getMessage().startsWith("Host sent unacceptable password parameters"), e.getMessage());
        }
    }

    @Test
    void decoyNeverVerifies() throws Exception {
        byte[] hostSecret = new byte[32];
        RANDOM.nextBytes(hostSecret);
        for (SrpServer decoy : new SrpServer[] {
                SrpServer.decoy("mallory", hostSecret, RANDOM), SrpServer.decoy("mallory", RANDOM)}) {
            Challenge challenge = decoy.challenge();
            assertEquals(19456, challenge.memoryKiB());
            assertEquals(2, challenge.iterations());
            assertEquals(1, challenge.parallelism());
            assertEquals(16, challenge.salt().length);
            assertTrue(challenge.serverPublic().signum() > 0 && challenge.serverPublic().compareTo(N) < 0);
            // A cheap-parameter client suffices: any proof must be rejected.
            Challenge cheap = new Challenge(1024, 1, 1, challenge.salt(), challenge.serverPublic());
            byte[] binding = binding();
            ClientResponse response = new SrpClient("mallory", PASSWORD, RANDOM).respond(cheap, binding);
            AuthenticationFailed e = assertThrows(AuthenticationFailed.class, () -> decoy.verify(response, binding));
            assertEquals("password proof rejected", e.getMessage());
        }
    }

    @Test
    void decoyWithHostSecretIsStable() {
        byte[] hostSecret = new byte[32];
        RANDOM.nextBytes(hostSecret);
        Challenge c1 = SrpServer.decoy("mallory", hostSecret, RANDOM).challenge();
        Challenge c2 = SrpServer.decoy("mallory", hostSecret, RANDOM).challenge();
        Challenge other = SrpServer.decoy("trent", hostSecret, RANDOM).challenge();
        assertArrayEquals(c1.salt(), c2.salt());
        assertNotEquals(c1.serverPublic(), c2.serverPublic());
        assertFalse(Arrays.equals(c1.salt(), other.salt()));
    }

    @Test
    void wrongPasswordAndDecoyFailWithSameMessage() throws Exception {
        byte[] binding = binding();
        SrpServer server = server();
        ClientResponse response = new SrpClient(ID, "nope".toCharArray(), RANDOM).respond(server.challenge(), binding);
        AuthenticationFailed e = assertThrows(AuthenticationFailed.class, () -> server.verify(response, binding));
        assertEquals("password proof rejected", e.getMessage());
    }

    @Test
    void stateMisuse() throws Exception {
        SrpServer server = server();
        assertThrows(IllegalStateException.class,
                () -> server.verify(new ClientResponse(BigInteger.TWO, new byte[32]), binding()));
        Challenge challenge = server.challenge();
        assertThrows(IllegalStateException.class, server::challenge);
        SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
        assertThrows(IllegalArgumentException.class, () -> client.respond(challenge, new byte[31]));
        client.respond(challenge, binding());
        assertThrows(IllegalStateException.class, () -> client.respond(challenge, binding()));
    }

    @Test
    void clientCopiesPassword() throws Exception {
        char[] mine = PASSWORD.clone();
        SrpClient client = new SrpClient(ID, mine, RANDOM);
        Arrays.fill(mine, 'x');
        byte[] binding = binding();
        SrpServer server = server();
        client.verifyServer(server.verify(client.respond(server.challenge(), binding), binding));
    }

    @Test
    void aPrehashOfTheChallengesSaltIsUsedAndCleared() throws Exception {
        PasswordVerifier v = small(ID, PASSWORD);
        byte[] binding = binding();
        SrpServer server = new SrpServer(ID, v, RANDOM);
        Prehash ahead = Prehash.compute(ID, PASSWORD, 1024, 1, 1, v.salt());
        SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
        client.verifyServer(server.verify(client.respond(server.challenge(), binding, ahead), binding));
        assertTrue(ahead.isCleared());
        assertArrayEquals(server.sessionKey(), client.sessionKey());
    }

    @Test
    void aPrehashOfAnotherSaltOrIdentityIsNotUsed() throws Exception {
        PasswordVerifier v = small(ID, PASSWORD);
        for (Prehash wrong : new Prehash[] {Prehash.compute(ID, PASSWORD, 1024, 1, 1, small(ID, PASSWORD).salt()),
            Prehash.compute("mallory", PASSWORD, 1024, 1, 1, v.salt()), Prehash.compute(ID, PASSWORD, 1024, 2, 1, v.salt())}) {
            byte[] binding = binding();
            SrpServer server = new SrpServer(ID, v, RANDOM);
            SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
            client.verifyServer(server.verify(client.respond(server.challenge(), binding, wrong), binding));
            assertTrue(wrong.isCleared());
        }
    }

    @Test
    void aPrehashIsBoundedBeforeWork() {
        assertThrows(IllegalArgumentException.class,
                () -> Prehash.compute(ID, PASSWORD, Integer.MAX_VALUE, 1, 1, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Prehash.compute(ID, PASSWORD, 1024, 11, 1, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> Prehash.compute(ID, PASSWORD, 1024, 1, 1, new byte[65]));
    }

    @Test
    void anEphemeralPreparedAheadIsTheOneSent() throws Exception {
        byte[] binding = binding();
        SrpServer server = server();
        SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
        BigInteger a = client.prepare();
        ClientResponse r = client.respond(server.challenge(), binding);
        assertEquals(a, r.clientPublic());
        client.verifyServer(server.verify(r, binding));
        assertThrows(IllegalStateException.class, client::prepare);
    }

    @Test
    void ephemeralSecretsAre384Bits() {
        for (int i = 0; i < 64; i++) {
            assertEquals(384, Srp6a.ephemeralSecret(RANDOM).bitLength());
        }
        assertNotEquals(Srp6a.ephemeralSecret(RANDOM), Srp6a.ephemeralSecret(RANDOM));
    }

    /** A Guest of the previous release: BouncyCastle's SRP6Client, a full-length a, the same proofs. */
    @Test
    void aGuestWithFullLengthExponentsStillLogsOn() throws Exception {
        PasswordVerifier v = small(ID, PASSWORD);
        byte[] binding = binding();
        SrpServer server = new SrpServer(ID, v, RANDOM);
        Challenge c = server.challenge();
        org.bouncycastle.crypto.agreement.srp.SRP6Client old = new org.bouncycastle.crypto.agreement.srp.SRP6Client();
        old.init(Srp6a.GROUP, new org.bouncycastle.crypto.digests.SHA256Digest(), RANDOM);
        byte[] hash = Srp6a.argon2id(PASSWORD, c.salt(), 1024, 1, 1);
        BigInteger a = old.generateClientCredentials(c.salt(), Srp6a.identityBytes(ID), hash);
        byte[] k = Srp6a.sessionHash(old.calculateSecret(c.serverPublic()));
        byte[] proof = Srp6a.clientProof(k, binding, a, c.serverPublic());
        assertArrayEquals(Srp6a.serverProof(k, binding, a, c.serverPublic(), proof),
                server.verify(new ClientResponse(a, proof), binding));
    }

    /** A Host of the previous release: BouncyCastle's SRP6Server, a full-length b. */
    @Test
    void aHostWithFullLengthExponentsStillAcceptsTheGuest() throws Exception {
        PasswordVerifier v = small(ID, PASSWORD);
        byte[] binding = binding();
        org.bouncycastle.crypto.agreement.srp.SRP6Server old = new org.bouncycastle.crypto.agreement.srp.SRP6Server();
        old.init(Srp6a.GROUP, v.verifier(), new org.bouncycastle.crypto.digests.SHA256Digest(), RANDOM);
        BigInteger b = old.generateServerCredentials();
        SrpClient client = new SrpClient(ID, PASSWORD, RANDOM);
        ClientResponse r = client.respond(new Challenge(1024, 1, 1, v.salt(), b), binding);
        byte[] k = Srp6a.sessionHash(old.calculateSecret(r.clientPublic()));
        assertArrayEquals(Srp6a.clientProof(k, binding, r.clientPublic(), b), r.proof());
        client.verifyServer(Srp6a.serverProof(k, binding, r.clientPublic(), b, r.proof()));
    }
}
