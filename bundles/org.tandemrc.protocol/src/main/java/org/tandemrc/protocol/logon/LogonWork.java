package org.tandemrc.protocol.logon;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the expensive parts of a logon run (SRP challenges and proofs, password hashes): a few
 * threads and a bounded queue, so that a flood of logons neither blocks a network thread nor piles up
 * unbounded work. {@link #offer} says no when the queue is full; the caller refuses the logon as busy.
 */
public final class LogonWork implements AutoCloseable {

    private final ThreadPoolExecutor pool;

    /**
     * @param threads threads computing at once
     * @param queue   tasks that may wait
     * @param name    thread name prefix
     */
    public LogonWork(int threads, int queue, String name) {
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Runs {@code task} on a logon thread; false when too much work waits already. */
    public boolean offer(Runnable task) {
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
