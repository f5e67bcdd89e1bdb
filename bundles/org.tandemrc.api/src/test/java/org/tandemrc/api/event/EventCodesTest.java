package org.tandemrc.api.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;


/** EventCodes lives in the API bundle; it is tested here, its first user. */
class EventCodesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            password rejected               | SECPW!
            remote control started          | HSESRC+
            Host started                    | HCON+
            illegal password limit reached  | HSECPWLIM!
            timeout limit exceeded          | HSECTMOUT
            message sent                    | GACTMSG
            Gateway access allowed          | HGWACCES+
            Gateway password rejected       | 'SECGWPW  !'
            Gateway Guest changed           | HGWGUEST*
            Gateway group deleted           | HGWGROUP-
            Gateway route refused           | TGWROUTE!
            remote control started          | 'HSESRC   +'
            confirm access granted          | 'SECCA    '
            """)
    void describesKnownCodesInTheirShortAndPaddedForms(String description, String code) {
        assertEquals(description, EventCodes.describe(code));
    }

    @Test
    void theConstantsAreTheCodes() {
        assertEquals("password rejected", EventCodes.describe(EventCodes.PASSWORD_REJECTED));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"HSESXYZ+", "hses+"})
    void unknownCodes(String code) {
        assertEquals("unknown event", EventCodes.describe(code));
    }
}
