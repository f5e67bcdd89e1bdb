package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;

class GuestCommandTest {

    @Test
    void aRequestThatCannotWorkAsWrittenIsWrongUsageAndEveryOtherReasonAFailure() {
        for (Reason reason : Reason.values()) {
            assertEquals(reason == Reason.INVALID_REQUEST ? 2 : 1, GuestCommand.exitStatus(reason), reason.name());
        }
        assertEquals(2, new GuestCommand.Failure(new GuestException(Reason.INVALID_REQUEST, "bad address")).status);
        assertEquals(1, new GuestCommand.Failure(new GuestException(Reason.KEY_CHANGED, "key changed")).status);
        assertEquals(1, new GuestCommand.Failure("no password given").status);
    }
}
