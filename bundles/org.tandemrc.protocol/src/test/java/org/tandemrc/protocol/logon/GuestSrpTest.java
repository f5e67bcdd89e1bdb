package org.tandemrc.protocol.logon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpServer;

/** The Guest's logon with its work started ahead, against Hosts that change what they ask for or lie. */
class GuestSrpTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final ExecutorService AHEAD = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stop() {
        AHEAD.shutdownNow();
    }

    private static PasswordVerifier verifier(int iterations) {
        return PasswordVerifier.create("*", PASSWORD, RANDOM, 1024, iterations, 1);
    }

    private static byte[] random32() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A unique place, so that tests do not see each other's memory. */
    private static String place() {
        return "tcp:" + UUID.randomUUID() + ":5500";
    }

    /** One whole logon at {@code place} against a Host with {@code key} and {@code v}; whether the pre-hash was used. */
    private static boolean logOn(String place, byte[] key, PasswordVerifier v) throws AuthenticationFailed {
        byte[] binding = random32();
        SrpServer host = new SrpServer("*", v, RANDOM);
        try (GuestSrp guest = GuestSrp.start(place, "*", PASSWORD, RANDOM, AHEAD)) {
            ClientResponse r = guest.respond(key, host.challenge(), binding);
            guest.verifyServer(host.verify(r, binding));
            return guest.usedPrehash();
        }
    }

    @Test
    void theSecondLogonUsesThePrehashAndSucceeds() throws Exception {
        String place = place();
        byte[] key = random32();
        PasswordVerifier v = verifier(1);
        assertFalse(logOn(place, key, v), "nothing seen yet");
        assertTrue(logOn(place, key, v));
        assertTrue(logOn(place, key, v));
    }

    @Test
    void aHostWhoseSaltChangedGetsAProofForTheNewSalt() throws Exception {
        String place = place();
        byte[] key = random32();
        logOn(place, key, verifier(1));
        // The Host's verifier was made again (same password, new salt): the pre-hash of the old salt is wrong.
        assertFalse(logOn(place, key, verifier(1)));
    }

    @Test
    void aHostWhoseCostChangedGetsAProofForTheNewCost() throws Exception {
        String place = place();
        byte[] key = random32();
        PasswordVerifier v = verifier(1);
        logOn(place, key, v);
        PasswordVerifier slower = PasswordVerifier.of(1024, 2, 1, v.salt(), verifier(2).verifier());
        SrpServer host = new SrpServer("*", slower, RANDOM);
        try (GuestSrp guest = GuestSrp.start(place, "*", PASSWORD, RANDOM, AHEAD)) {
            guest.respond(key, host.challenge(), random32());
            assertFalse(guest.usedPrehash(), "same salt, other iterations: Argon2id must run for t=2");
        }
    }

    @Test
    void anotherHostAtThePlaceDoesNotGetThePrehash() throws Exception {
        String place = place();
        PasswordVerifier v = verifier(1);
        logOn(place, random32(), v);
        assertFalse(logOn(place, random32(), v), "another Host key at the same address");
    }

    @Test
    void aHostThatCannotProveItselfIsNotRemembered() throws Exception {
        String place = place();
        byte[] key = random32();
        PasswordVerifier v = verifier(1);
        logOn(place, key, v);
        // An impostor with the pinned key but without the verifier: its salt must not replace the remembered one.
        PasswordVerifier other = verifier(1);
        SrpServer impostor = new SrpServer("*", other, RANDOM);
        try (GuestSrp guest = GuestSrp.start(place, "*", PASSWORD, RANDOM, AHEAD)) {
            guest.respond(key, impostor.challenge(), random32());
            assertThrows(AuthenticationFailed.class, () -> guest.verifyServer(random32()));
        }
        assertTrue(logOn(place, key, v), "the salt of the Host that proved itself is still the one remembered");
    }

    @Test
    void absurdParametersAreRefusedBeforeAnyWorkEvenAfterAPrehash() throws Exception {
        String place = place();
        byte[] key = random32();
        PasswordVerifier v = verifier(1);
        logOn(place, key, v);
        try (GuestSrp guest = GuestSrp.start(place, "*", PASSWORD, RANDOM, AHEAD)) {
            Challenge absurd = new Challenge(Integer.MAX_VALUE, 1, 1, v.salt(), BigInteger.TWO);
            AuthenticationFailed e = assertThrows(AuthenticationFailed.class, () -> guest.respond(key, absurd, random32()));
            assertTrue(e.getMessage().contains("unacceptable password parameters"), e.getMessage());
            assertFalse(guest.usedPrehash());
        }
    }

    @Test
    void theProofIsStillBoundToItsConnection() throws Exception {
        String place = place();
        byte[] key = random32();
        PasswordVerifier v = verifier(1);
        logOn(place, key, v);
        SrpServer host = new SrpServer("*", v, RANDOM);
        try (GuestSrp guest = GuestSrp.start(place, "*", PASSWORD, RANDOM, AHEAD)) {
            ClientResponse r = guest.respond(key, host.challenge(), random32());
            assertTrue(guest.usedPrehash());
            // Relayed to the Host on another connection, whose key exchange gave another binding.
            assertThrows(AuthenticationFailed.class, () -> host.verify(r, random32()));
        }
    }

    @Test
    void aWrongPasswordWithAPrehashIsStillWrong() throws Exception {
        String place = place();
        byte[] key = random32();
        PasswordVerifier v = verifier(1);
        logOn(place, key, v);
        SrpServer host = new SrpServer("*", v, RANDOM);
        byte[] binding = random32();
        try (GuestSrp guest = GuestSrp.start(place, "*", "wrong".toCharArray(), RANDOM, AHEAD)) {
            ClientResponse r = guest.respond(key, host.challenge(), binding);
            assertTrue(guest.usedPrehash());
            assertThrows(AuthenticationFailed.class, () -> host.verify(r, binding));
        }
    }

    @Test
    void withoutAnExecutorNothingStartsAheadAndTheLogonWorks() throws Exception {
        String place = place();
        byte[] key = random32();
        PasswordVerifier v = verifier(1);
        logOn(place, key, v);
        byte[] binding = random32();
        SrpServer host = new SrpServer("*", v, RANDOM);
        try (GuestSrp guest = GuestSrp.start(place, "*", PASSWORD, RANDOM, null)) {
            guest.verifyServer(host.verify(guest.respond(key, host.challenge(), binding), binding));
            assertFalse(guest.usedPrehash());
        }
    }

    @Test
    void whatIsRememberedIsBounded() {
        Challenge c = new Challenge(1024, 1, 1, new byte[16], BigInteger.TWO);
        for (int i = 0; i < GuestSrp.REMEMBERED + 50; i++) {
            GuestSrp.remember(place(), "*", random32(), c);
        }
        assertEquals(GuestSrp.REMEMBERED, GuestSrp.remembered());
    }
}
