package org.tandemrc.support.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.session.Side;

class SessionEventsTest {

    @Test
    void everySessionTypeHasItsReferenceCodesOnBothSides() {
        Side h = Side.HOST;
        Side g = Side.GUEST;
        assertEquals(new SessionEvents("HSESRC+", "HSESRC-"), SessionEvents.of(h, "remote-control"));
        assertEquals(new SessionEvents("GSESRC+", "GSESRC-"), SessionEvents.of(g, "remote-control"));
        assertEquals(new SessionEvents("HACTKBDMS+", "HACTKBDMS-"), SessionEvents.of(h, "remote-input"));
        assertEquals(new SessionEvents("TSES+", "TSES-"), SessionEvents.of(g, "remote-input"));
        assertEquals(new SessionEvents("HSESFXFER+", "HSESFXFER-"), SessionEvents.of(h, "file-transfer"));
        assertEquals(new SessionEvents("GSESFXFER+", "GSESFXFER-"), SessionEvents.of(g, "file-transfer"));
        assertEquals(new SessionEvents("HSESCHAT+", "HSESCHAT-"), SessionEvents.of(h, "chat"));
        assertEquals(new SessionEvents("GSESCHAT+", "GSESCHAT-"), SessionEvents.of(g, "chat"));
        assertEquals(new SessionEvents("HSESRM+", "HSESRM-"), SessionEvents.of(h, "tools"));
        assertEquals(new SessionEvents("GSESRM+", "GSESRM-"), SessionEvents.of(g, "tools"));
        assertEquals(new SessionEvents("HACTMSG", null), SessionEvents.of(h, "message"));
        assertEquals(new SessionEvents("GACTMSG", null), SessionEvents.of(g, "message"));
        assertEquals(new SessionEvents("TSES+", "TSES-"), SessionEvents.of(h, "a-third-partys-session"));
        for (String code : new String[] {"HSESRM+", "GSESFXFER-", "HACTKBDMS+", "TSES+", "TSECPROTO!"}) {
            assertNotEquals("unknown event", EventCodes.describe(code), code);
        }
    }
}
