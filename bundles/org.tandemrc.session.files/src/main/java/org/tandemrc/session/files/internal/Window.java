package org.tandemrc.session.files.internal;

import java.io.InterruptedIOException;

import org.tandemrc.api.files.FileException;

/**
 * The sender's side of a file's flow control: at most {@link FileWire#WINDOW} bytes of data are sent
 * and not yet acknowledged by the receiver, so a slow disk on either side never makes the other
 * queue without bound.
 */
final class Window {

    private long unacknowledged;
    private String closed;

    /** Waits until {@code n} more bytes may be sent, then counts them. */
    synchronized void take(long n) throws FileException, InterruptedIOException {
        while (unacknowledged > 0 && unacknowledged + n > FileWire.WINDOW && closed == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while sending");
            }
        }
        if (closed != null) {
            throw new FileException(closed);
        }
        unacknowledged += n;
    }

    /** The receiver wrote {@code n} more bytes. */
    synchronized void acknowledged(long n) {
        unacknowledged = Math.max(0, unacknowledged - n);
        notifyAll();
    }

    /** A new file: nothing is in flight. */
    synchronized void reset() {
        unacknowledged = 0;
    }

    /** The session ended: senders stop waiting. */
    synchronized void close(String reason) {
        closed = reason;
        notifyAll();
    }
}
