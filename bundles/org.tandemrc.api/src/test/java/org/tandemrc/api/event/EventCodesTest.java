package org.tandemrc.api.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** EventCodes lives in the API bundle; it is tested here, its first user. */
class EventCodesTest {

    @Test
    void describesKnownCodes() {
        assertEquals("password rejected", EventCodes.describe(EventCodes.PASSWORD_REJECTED));
        assertEquals("password rejected", EventCodes.describe("SECPW!"));
        assertEquals("remote control started", EventCodes.describe("HSESRC+"));
        assertEquals("Host started", EventCodes.describe("HCON+"));
        assertEquals("illegal password limit reached", EventCodes.describe("HSECPWLIM!"));
        assertEquals("timeout limit exceeded", EventCodes.describe("HSECTMOUT"));
        assertEquals("message sent", EventCodes.describe("GACTMSG"));
        assertEquals("Gateway access allowed", EventCodes.describe("HGWACCES+"));
        assertEquals("Gateway password rejected", EventCodes.describe("SECGWPW  !"));
        assertEquals("Gateway Guest changed", EventCodes.describe("HGWGUEST*"));
        assertEquals("Gateway group deleted", EventCodes.describe("HGWGROUP-"));
        assertEquals("Gateway route refused", EventCodes.describe("TGWROUTE!"));
    }

    @Test
    void acceptsThePaddedForm() {
        assertEquals("remote control started", EventCodes.describe("HSESRC   +"));
        assertEquals("confirm access granted", EventCodes.describe("SECCA    "));
    }

    @Test
    void unknownCodes() {
        assertEquals("unknown event", EventCodes.describe("HSESXYZ+"));
        assertEquals("unknown event", EventCodes.describe(""));
        assertEquals("unknown event", EventCodes.describe(null));
        assertEquals("unknown event", EventCodes.describe("hses+"));
    }
}
