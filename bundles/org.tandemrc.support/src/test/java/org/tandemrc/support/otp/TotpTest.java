package org.tandemrc.support.otp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {

    private static final byte[] SEED20 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED32 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED64 = ("1234567890123456789012345678901234567890123456789012345678901234")
            .getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238, Appendix B: every time and algorithm of the table, 8 digits. */
    @ParameterizedTest
    @CsvSource({
        "59, HmacSHA1, 94287082", "59, HmacSHA256, 46119246", "59, HmacSHA512, 90693936",
        "1111111109, HmacSHA1, 07081804", "1111111109, HmacSHA256, 68084774", "1111111109, HmacSHA512, 25091201",
        "1111111111, HmacSHA1, 14050471", "1111111111, HmacSHA256, 67062674", "1111111111, HmacSHA512, 99943326",
        "1234567890, HmacSHA1, 89005924", "1234567890, HmacSHA256, 91819424", "1234567890, HmacSHA512, 93441116",
        "2000000000, HmacSHA1, 69279037", "2000000000, HmacSHA256, 90698825", "2000000000, HmacSHA512, 38618901",
        "20000000000, HmacSHA1, 65353130", "20000000000, HmacSHA256, 77737706", "20000000000, HmacSHA512, 47863826"})
    void theRfcTestVectorsHold(long time, String algorithm, String code) {
        byte[] seed = algorithm.equals("HmacSHA1") ? SEED20 : algorithm.equals("HmacSHA256") ? SEED32 : SEED64;
        Totp totp = new Totp(seed, algorithm, 8);
        assertEquals(code, totp.code(Totp.step(time)));
        assertEquals(OptionalLong.of(Totp.step(time)), totp.check(code, time, -1));
    }

    @Test
    void aCodeIsGoodOnceAndOnlyNearItsTime() {
        Totp totp = Totp.of(SEED20);
        long now = 1_700_000_000L;
        String code = totp.code(Totp.step(now));
        long used = totp.check(code, now, -1).orElseThrow();
        assertTrue(totp.check(code, now, used).isEmpty(), "the same code twice");
        assertTrue(totp.check(code, now + 30, -1).isPresent(), "one step of drift is accepted");
        assertTrue(totp.check(code, now + 90, -1).isEmpty(), "three steps later it is worth nothing");
        assertTrue(totp.check(totp.code(Totp.step(now) - 1), now, used).isEmpty(), "an older code after a newer one");
        assertTrue(totp.check("12345", now, -1).isEmpty());
    }

    @Test
    void base32RoundTripsAndTheUriIsWhatAppsRead() {
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(SEED20));
        assertArrayEquals(SEED20, Totp.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq===="));
        assertThrows(IllegalArgumentException.class, () -> Totp.fromBase32("ABC1"));
        assertEquals("otpauth://totp/Tandem:alice%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=Tandem&algorithm=SHA1&digits=6&period=30", Totp.of(SEED20).uri("Tandem", "alice@example.org"));
    }
}
