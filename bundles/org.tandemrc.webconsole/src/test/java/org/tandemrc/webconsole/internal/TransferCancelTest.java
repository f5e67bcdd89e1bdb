package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** Cancel of a transfer under way: it interrupts the transfer's wait, and only that. */
class TransferCancelTest {

    @Test
    void cancelInterruptsTheRunningTransferAndNotTheThreadsNextWork() throws Exception {
        Api.Running running = new Api.Running();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean clearAfter = new AtomicBoolean();
        Thread t = new Thread(() -> {
            assertTrue(running.start());
            started.countDown();
            try {
                Thread.sleep(30_000); // a transfer waiting for the Host
            } catch (InterruptedException e) {
                interrupted.set(true);
                Thread.currentThread().interrupt();
            }
            running.end();
            clearAfter.set(!Thread.currentThread().isInterrupted());
        });
        t.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        running.cancel();
        t.join(10_000);
        assertTrue(interrupted.get(), "the waiting transfer was interrupted");
        assertTrue(running.cancelled());
        assertTrue(clearAfter.get(), "the pool's thread goes back without the interrupt");
        // A cancel after the end reaches no thread.
        running.cancel();
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aTransferCancelledBeforeItStartsDoesNotStart() {
        Api.Running running = new Api.Running();
        running.cancel();
        assertFalse(running.start());
        running.end();
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
