package org.tandemrc.protocol;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** The hello messages, the only bytes a peer sends before any key exists. */
class HandshakeFuzzTest {

    private static final HostIdentity IDENTITY = HostIdentity.generate(new SecureRandom());

    /** A Host reads whatever arrives as a Guest's hello, then whatever follows. */
    @FuzzTest(maxDuration = "5m")
    void hostReadsGuestHello(FuzzedDataProvider data) {
        FuzzVictim victim = new FuzzVictim();
        Connection host = Connection.host(IDENTITY, "host", "message", victim, null, new SecureRandom());
        feed(host, victim, data);
    }

    /** A Guest that sent its hello reads whatever arrives as the Host's answer. */
    @FuzzTest(maxDuration = "5m")
    void guestReadsHostHello(FuzzedDataProvider data) {
        FuzzVictim victim = new FuzzVictim();
        Connection guest = Connection.guest("guest", "message", victim, null, new SecureRandom());
        feed(guest, victim, data);
    }

    private static void feed(Connection victim, FuzzVictim listener, FuzzedDataProvider data) {
        SinkLink link = new SinkLink(victim);
        victim.opened(link);
        for (int i = 0; i < 4 && link.isOpen() && data.remainingBytes() > 0; i++) {
            victim.received(link, ByteBuffer.wrap(data.consumeBytes(data.consumeInt(0, 6000))));
        }
        listener.assertRefusedCleanly();
    }
}
