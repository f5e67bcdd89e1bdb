package org.tandemrc.session.message.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;
import org.tandemrc.protocol.codec.WireText;
import org.tandemrc.api.testing.FakeHostConnection;

/** The message client says delivered only when the Host confirmed it; every other outcome has its reason. */
class MessageClientTest {

    private final MessageClient client = new MessageClient();
    private final MessageSessionTypeTest.FakeUser user = new MessageSessionTypeTest.FakeUser();

    private Reason failure(FakeHostConnection host, String text, Duration timeout) {
        return assertThrows(GuestException.class, () -> client.send(host, text, timeout)).reason();
    }

    @Test
    void aShownMessageIsDelivered() throws Exception {
        FakeHostConnection host = new FakeHostConnection(MessageSessionTypeTest.seated(user), "desk-1");
        client.send(host, "Back in five minutes", Duration.ofSeconds(5));
        assertEquals(List.of("alice: Back in five minutes"), user.shown);
    }

    @Test
    void aHostThatCannotShowItDoesNotDeliver() {
        FakeHostConnection host = new FakeHostConnection(new MessageSessionType(), "desk-1");
        GuestException e = assertThrows(GuestException.class, () -> client.send(host, "hello", Duration.ofSeconds(5)));
        assertEquals(Reason.NOT_DONE, e.reason());
        assertTrue(e.getMessage().endsWith(MessageSessionType.CANNOT_SHOW), e.getMessage());
    }

    @Test
    void unusableTextIsRefusedBeforeAnySession() {
        FakeHostConnection host = new FakeHostConnection(MessageSessionTypeTest.seated(user), "desk-1");
        assertEquals(Reason.INVALID_REQUEST, failure(host, " ", Duration.ofSeconds(5)));
        assertEquals(Reason.INVALID_REQUEST, failure(host, "x".repeat(WireText.MAX_CHARS + 1), Duration.ofSeconds(5)));
        assertTrue(host.hostChannels.isEmpty());
    }

    @Test
    void aRefusedSessionAndASilentHostSaySo() {
        FakeHostConnection refusing = new FakeHostConnection(MessageSessionTypeTest.seated(user), "desk-1");
        refusing.refusal = "your role may not send messages";
        assertEquals(Reason.SESSION_REFUSED, failure(refusing, "hello", Duration.ofSeconds(5)));

        FakeHostConnection silent = new FakeHostConnection(MessageSessionTypeTest.seated(user), "desk-1");
        silent.silent = true;
        assertEquals(Reason.NO_ANSWER, failure(silent, "hello", Duration.ofMillis(200)));
        assertTrue(silent.hostChannels.get(0).closedReason.startsWith("no confirmation"),
                silent.hostChannels.get(0).closedReason);
    }
}
