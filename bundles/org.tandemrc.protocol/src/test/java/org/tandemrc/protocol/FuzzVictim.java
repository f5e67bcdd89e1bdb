package org.tandemrc.protocol;

import java.nio.ByteBuffer;

import org.tandemrc.api.session.SessionHandler;

/**
 * The side under fuzzing: accepts every session the peer asks for and ignores what arrives on it, so the
 * connection's own decoding is what is exercised. A close whose reason says "internal error" means an
 * exception other than the declared refusal ({@link ProtocolException}) escaped a decoder.
 */
final class FuzzVictim extends ControlRecorder {

    @Override
    public void openRequested(Connection connection, Connection.OpenRequest request) {
        request.accept().attach(new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
            }

            @Override
            public void closed(String reason) {
            }
        });
    }

    /** Fails when the connection ended for a reason other than a refusal of bad input. */
    void assertRefusedCleanly() {
        String why = closed.getNow(null);
        if (why != null && why.startsWith("internal error")) {
            throw new AssertionError("a decoder failed instead of refusing: " + why);
        }
    }
}
