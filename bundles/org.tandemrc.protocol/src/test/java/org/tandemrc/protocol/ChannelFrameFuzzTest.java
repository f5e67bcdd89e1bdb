package org.tandemrc.protocol;

import java.util.Random;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Frames inside the secured connection (open, answers, data, credit, close, ping, bye), sealed with the
 * real keys by a {@link HostilePeer}: what only a peer that completed the handshake can send.
 */
class ChannelFrameFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void hostReadsFrames(FuzzedDataProvider data) {
        FuzzVictim victim = new FuzzVictim();
        send(HostilePeer.guestAgainst(victim, "guest", new Random(data.consumeLong())), data);
        victim.assertRefusedCleanly();
    }

    @FuzzTest(maxDuration = "5m")
    void guestReadsFrames(FuzzedDataProvider data) {
        FuzzVictim victim = new FuzzVictim();
        HostilePeer peer = HostilePeer.hostAgainst(victim, "host", new Random(data.consumeLong()));
        // The Guest asks for a few channels first, so that answers and data have somewhere to go.
        for (int i = 0; i < 3; i++) {
            peer.victim().open("message", Priority.values()[i % Priority.values().length]);
        }
        send(peer, data);
        victim.assertRefusedCleanly();
    }

    private static void send(HostilePeer peer, FuzzedDataProvider data) {
        while (data.remainingBytes() > 0 && peer.victimConnected()) {
            int kind = data.consumeInt(0, 11);
            int channel = data.consumeBoolean() ? data.consumeInt(0, 8) : data.consumeInt();
            peer.frame(kind, channel, data.consumeBytes(data.consumeInt(0, 70_000)));
        }
    }
}
