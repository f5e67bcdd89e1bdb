package org.tandemrc.session.tools.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * A session's own thread: tasks run one at a time, in order, off the connection's thread, so a slow tool
 * or front end never blocks the connection. Once stopped, tasks still queued run and later ones are
 * dropped (the session is closing).
 */
final class Worker {

    private final ExecutorService executor;

    Worker(String name) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} after those before it, unless the worker stopped. */
    void run(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // the session is closing
        }
    }

    /** Runs what is queued, then nothing more. */
    void stop() {
        executor.shutdown();
    }
}
