package org.tandemrc.guest.cli.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.Place;
import org.tandemrc.api.files.TransferListener;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.support.text.Sizes;

/**
 * One file copied to a Host again and again on a thread of its own, until {@link #stop}: the load under
 * which {@code tandem guest latency --while-copying} measures. Every copy replaces the destination and
 * sends every byte (no delta: an unchanged file would cross as checksums only).
 */
final class CopyLoad {

    /** How long the first bytes may take to start flowing. */
    private static final long START_SECONDS = 60;

    private static final TransferOptions EVERY_BYTE = new TransferOptions(false, TransferOptions.Overwrite.ALWAYS,
            true, true, false, false, TransferOptions.OnError.STOP, 0, false, Set.of());

    /** What the load did: whole copies, bytes sent (the last copy's part too), time, and the first failure. */
    record Summary(int copies, long bytes, double seconds, String failure) {
        String describe(String file) {
            return String.format(Locale.ROOT, "copied %s to the Host over the same connection: %d whole cop%s, %s in"
                    + " %.1f s (%.0f MB/s)", file, copies, copies == 1 ? "y" : "ies", Sizes.binary(bytes), seconds,
                    bytes / Math.max(seconds, 1e-3) / 1e6);
        }
    }

    private final FileSession session;
    private final Path source;
    private final String destination;
    private final AtomicLong bytes = new AtomicLong();
    private final CountDownLatch flowing = new CountDownLatch(1);
    private final Thread thread;
    private final long started = System.nanoTime();
    private volatile boolean stopping;
    private volatile String failure;
    private volatile int copies;
    private volatile long ended;

    private CopyLoad(FileSession session, Path source, String destination) {
        this.session = session;
        this.source = source;
        this.destination = destination;
        this.thread = new Thread(this::run, "tandem copy load");
        thread.setDaemon(true);
    }

    static CopyLoad start(FileSession session, Path source, String destination) {
        CopyLoad load = new CopyLoad(session, source, destination);
        load.thread.start();
        return load;
    }

    /** Waits until the first bytes are on their way; fails with the copy's own reason if it ended first. */
    void awaitFlowing() throws GuestException, InterruptedException {
        if (!flowing.await(START_SECONDS, TimeUnit.SECONDS)) {
            throw new GuestException("the copy to the Host had not started after " + START_SECONDS + " s");
        }
        if (failure != null) {
            throw new GuestException("the copy to the Host failed: " + failure);
        }
    }

    /** Lets the copy in progress finish, starts no other, and tells what was done. */
    Summary stop() throws InterruptedException {
        stopping = true;
        thread.join();
        return new Summary(copies, bytes.get(), (ended - started) / 1e9, failure);
    }

    private void run() {
        try {
            while (!stopping) {
                long before = bytes.get();
                TransferResult r = session.copy(Place.local(source.toString()), Place.host(destination), EVERY_BYTE,
                        new TransferListener() {
                            @Override
                            public void progress(String file, long done, long size) {
                                bytes.set(before + done);
                                if (done > 0) {
                                    flowing.countDown();
                                }
                            }
                        });
                if (!r.failed().isEmpty()) {
                    failure = r.failed().get(0);
                    return;
                }
                copies++;
            }
        } catch (FileException e) {
            failure = e.getMessage();
        } catch (InterruptedException e) {
            failure = "interrupted";
            Thread.currentThread().interrupt();
        } finally {
            ended = System.nanoTime();
            flowing.countDown();
        }
    }
}
