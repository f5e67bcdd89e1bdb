package org.tandemrc.host.support.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TemporaryHostTest {

    @Test
    void thePersonReadsTheManagersWordsNotTheDevicesSentence() {
        assertEquals("The support code is not valid (wrong, expired, cancelled or already used)",
                TemporaryHost.reason("webconnect Host 'support-111222333' could not register: the support code is not"
                        + " valid (wrong, expired, cancelled or already used)"));
        assertEquals("Logon refused: too many attempts", TemporaryHost.reason("logon refused: too many attempts"));
    }

    @Test
    void whoHelpsAndWhatThePersonCanDo() {
        assertEquals("Sam (account acme) can now ask to see your screen. You will be asked each time; press Esc to"
                + " take back keyboard and mouse.", TemporaryHost.joinedText("Sam", "acme"));
    }
}
