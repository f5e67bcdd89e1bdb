package org.tandemrc.tool.tunnel.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.tandemrc.api.tool.ToolException;

/**
 * The Host's listening sockets of reverse tunnels: one per address and port, owned by the Guest that opened
 * it. Each waiting {@code accept} stream takes one connection; a socket nobody waits on stays open for
 * {@link #LINGER_MILLIS} (connections wait in its backlog while the Guest opens its next stream), then closes.
 */
final class Listeners {

    /** How long a listening socket outlives its last waiting stream. */
    static final long LINGER_MILLIS = 10_000;
    /** How often a waiting stream looks whether it was closed. */
    static final int POLL_MILLIS = 250;

    /** One listening socket: where, whose, how many streams wait on it, and which idle spell may close it. */
    private static final class Listener {
        final String key;
        final ServerSocket socket;
        final String guest;
        int waiting;
        long generation;

        Listener(String key, ServerSocket socket, String guest) {
            this.key = key;
            this.socket = socket;
            this.guest = guest;
        }
    }

    /** One stream waiting on a listener. */
    final class Wait {
        private final Listener listener;
        private volatile boolean cancelled;
        private boolean finished;

        private Wait(Listener listener) {
            this.listener = listener;
        }

        /** Waits on its own thread for a connection, then hands it to {@code accepted} (null: none, failure). */
        void start(Consumer<Socket> accepted, Consumer<String> failed) {
            Thread t = new Thread(() -> {
                try {
                    while (!cancelled) {
                        try {
                            Socket s = listener.socket.accept();
                            if (cancelled) {
                                s.close();
                                return;
                            }
                            done();
                            accepted.accept(s);
                            return;
                        } catch (SocketTimeoutException e) {
                            // look at cancelled again
                        }
                    }
                } catch (IOException e) {
                    if (!cancelled) {
                        failed.accept(e.getMessage());
                    }
                } finally {
                    done();
                }
            }, "tandem-tunnel-accept-" + listener.key);
            t.setDaemon(true);
            t.start();
        }

        private void done() {
            synchronized (Listeners.this) {
                if (finished) {
                    return;
                }
                finished = true;
                listener.waiting--;
                if (listener.waiting == 0) {
                    long generation = ++listener.generation;
                    linger.schedule(() -> closeIdle(listener, generation), LINGER_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
        }

        /** The stream ended before a connection came. */
        void cancel() {
            cancelled = true;
        }
    }

    private final Map<String, Listener> listeners = new HashMap<>();
    private final ScheduledExecutorService linger = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tandem-tunnel-linger");
        t.setDaemon(true);
        return t;
    });

    /** A wait on {@code address:port} for {@code guest}, listening there first if nobody does. */
    synchronized Wait await(InetAddress address, int port, String guest, String where) throws ToolException {
        String key = address.getHostAddress() + "/" + port;
        Listener l = listeners.get(key);
        if (l != null && !l.guest.equals(guest)) {
            throw new ToolException(where + " is another Guest's tunnel");
        }
        if (l == null) {
            ServerSocket s = null;
            try {
                s = new ServerSocket();
                s.setReuseAddress(true);
                s.setSoTimeout(POLL_MILLIS);
                s.bind(new InetSocketAddress(address, port), 50);
            } catch (IOException e) {
                close(s);
                throw new ToolException("the Host cannot listen on " + where + ": " + e.getMessage());
            }
            l = new Listener(key, s, guest);
            listeners.put(key, l);
        }
        l.waiting++;
        l.generation++;
        return new Wait(l);
    }

    private synchronized void closeIdle(Listener l, long generation) {
        if (l.waiting == 0 && l.generation == generation && listeners.get(l.key) == l) {
            listeners.remove(l.key);
            close(l.socket);
        }
    }

    /** Closes every listening socket (the tool stops). */
    synchronized void closeAll() {
        listeners.values().forEach(l -> close(l.socket));
        listeners.clear();
        linger.shutdownNow();
    }

    private static void close(ServerSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing is all that was asked
            }
        }
    }
}
