package org.tandemrc.protocol.logon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.ProtocolException;

/** The password values on the wire, and the exchange the password methods share. */
class PasswordLogonTest {

    @Test
    void theExchangeHandsTheMethodThePasswordAndClearsItAfterwards() {
        List<char[]> given = new ArrayList<>();
        var x = PasswordLogon.exchange(p -> {
            given.add(p);
            return new String(p).equals("pässword") ? AuthResult.granted(new Identity("u", "m", Set.of()))
                    : AuthResult.denied("wrong password");
        });
        assertTrue(PasswordLogon.asksForPassword(x.challenge()));
        assertTrue(x.verify(Map.of(PasswordLogon.PASSWORD, "pässword".getBytes(StandardCharsets.UTF_8)), new byte[32])
                .granted());
        assertArrayEquals(new char[8], given.get(0), "cleared once the check returned");
        assertEquals("malformed proof: no password", x.verify(Map.of(), new byte[32]).failure().orElseThrow());
        assertEquals(1, given.size(), "a proof without a password never reaches the method");
    }

    @Test
    void proofsAreReadAsTheChallengeAskedAndWithinBounds() throws Exception {
        ControlMessage proof = LogonMessages.passwordProof("pässword".toCharArray(), "12345678");
        Map<String, byte[]> v = LogonMessages.proofValues(proof, true, true);
        assertEquals("pässword", new String(PasswordLogon.password(v).orElseThrow()));
        assertEquals("12345678", PasswordLogon.code(v).orElseThrow());
        assertThrows(ProtocolException.class, () -> LogonMessages.proofValues(
                LogonMessages.passwordProof("pw".toCharArray(), "12a456"), true, true));
        assertThrows(ProtocolException.class, () -> LogonMessages.proofValues(
                LogonMessages.passwordProof("pw".toCharArray(), null), false, false), "a password where SRP was asked");
        LogonMessages.clear(proof);
        assertArrayEquals(new byte[proof.fields().get(PasswordLogon.PASSWORD).length],
                proof.fields().get(PasswordLogon.PASSWORD));
        // A Guest from before this wire reads a password challenge as SRP: a clear protocol error.
        ProtocolException old = assertThrows(ProtocolException.class,
                () -> LogonMessages.challenge(LogonMessages.challenge(PasswordLogon.challenge(false))));
        assertEquals("auth.challenge lacks the field m", old.getMessage());
        assertEquals(Map.of(), LogonMessages.values(ControlMessage.of("auth.challenge").with("B", "x")));
    }
}
