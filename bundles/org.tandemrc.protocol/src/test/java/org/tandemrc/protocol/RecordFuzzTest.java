package org.tandemrc.protocol;

import java.util.Random;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Records after the key exchange: whatever a peer or a network in between puts there. */
class RecordFuzzTest {

    /** Unauthentic records end the connection as a protocol error, never as a failure of the Host. */
    @FuzzTest(maxDuration = "5m")
    void hostReadsForgedRecords(FuzzedDataProvider data) {
        FuzzVictim victim = new FuzzVictim();
        HostilePeer peer = HostilePeer.guestAgainst(victim, "guest", new Random(data.consumeLong()));
        while (data.remainingBytes() > 0 && peer.victimConnected()) {
            if (data.consumeBoolean()) {
                // a genuine record in between, so that sequence numbers move
                peer.frame(data.consumeBytes(data.consumeInt(0, 300)));
            } else {
                peer.raw(data.consumeBytes(data.consumeInt(0, 300)));
            }
        }
        victim.assertRefusedCleanly();
    }
}
