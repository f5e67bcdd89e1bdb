package org.tandemrc.api.screen;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Locks the keyboard and mouse of the person at the Host while input a Guest sends through the
 * {@link InputSink} still reaches the desktop (the reference's "Lock keyboard and mouse"). A platform
 * offers it only where it can; without the service, or when {@link #lock} throws, the Host refuses the
 * Guest's request with the reason.
 *
 * <p>Locks nest: the keyboard and mouse stay locked while any {@link Hold} is open, and are given back
 * when the last one closes. An implementation gives them back by itself, too, when the node stops, and
 * should where it can when the node's process dies.
 */
@ConsumerType
public interface LocalInputLock {

    /**
     * Locks the local keyboard and mouse (or keeps them locked) until the returned hold is closed.
     *
     * @throws IOException with a reason the Guest can read when this display cannot lock them (no
     *                     such extension, no local device, another program holds one)
     */
    Hold lock() throws IOException;

    /** One request to keep the keyboard and mouse locked; closing it twice has no further effect. */
    interface Hold extends AutoCloseable {
        @Override
        void close();
    }
}
