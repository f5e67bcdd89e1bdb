package org.tandemrc.api.comm;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * For device implementations: the bytes handed to {@link Link#send} whose write has not reached the
 * transport yet (e.g. still in an event loop's task queue, which a transport's own writability does not
 * count), so that {@link Link#congested()} and {@link LinkHandler#writable(Link)} bound them too.
 * Congested above 1 MiB, writable again below 256 KiB, like the devices' write buffers.
 */
public final class SendBacklog {

    /** Congested above this many waiting bytes. */
    public static final long HIGH = 1 << 20;
    /** Writable again below this many. */
    public static final long LOW = 256 << 10;

    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean senderWaits;

    /** {@code send} accepted a message of {@code size} bytes. */
    public void queued(long size) {
        bytes.addAndGet(size);
    }

    /**
     * The write of a message of {@code size} bytes reached the transport (or failed).
     *
     * @param transportWritable whether the transport's own buffer is below its high mark now
     * @return whether the handler must now be told {@link LinkHandler#writable(Link)}: a sender saw
     *         congestion, and both the backlog and the transport drained
     */
    public boolean written(long size, boolean transportWritable) {
        bytes.addAndGet(-size);
        return transportWritable(transportWritable);
    }

    /**
     * The transport's writability changed (or may have).
     *
     * @return whether the handler must now be told {@link LinkHandler#writable(Link)}
     */
    public boolean transportWritable(boolean transportWritable) {
        if (senderWaits && transportWritable && bytes.get() < LOW) {
            senderWaits = false;
            return true;
        }
        return false;
    }

    /**
     * {@link Link#congested()}: whether too much waits in the backlog or in the transport. When it
     * answers true, a later {@link #written} or {@link #transportWritable} answers true once both
     * drained, so the waiting sender is always told.
     */
    public boolean congested(BooleanSupplier transportWritable) {
        if (bytes.get() <= HIGH && transportWritable.getAsBoolean()) {
            return false;
        }
        senderWaits = true;
        // Checked again after the flag is up: a drain that ran in between must not be missed.
        return bytes.get() > HIGH || !transportWritable.getAsBoolean();
    }

    /** The bytes waiting now. */
    public long bytes() {
        return bytes.get();
    }
}
