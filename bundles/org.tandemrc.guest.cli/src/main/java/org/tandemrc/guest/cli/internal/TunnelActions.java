package org.tandemrc.guest.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.OpenStream;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.StreamListener;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.text.PeerText;
import org.tandemrc.toolkit.stream.SocketPipe;

/**
 * {@code tandem guest tunnel ADDRESS --local [BIND:]PORT:HOST:PORT[,...] --remote [BIND:]PORT:HOST:PORT[,...]}:
 * listens on each local port (on loopback unless BIND says otherwise) and carries every connection to it
 * through the Host's tunnel tool to HOST:PORT as the Host sees it, one stream per connection; and has the
 * Host listen on each remote BIND:PORT, each connection there reaching HOST:PORT as this Guest sees it (one
 * {@code accept} stream waits at a time per port). Runs until the connection to the Host ends or the command is
 * stopped. The Host decides where the Guest's role may go and listen; a refused connection is closed and its
 * reason printed. TCP's half-close is not carried: a client that ends its sending ends the tunnel.
 */
final class TunnelActions {

    static final Set<String> VERBS = Set.of("tunnel");
    static final String TOOL = "tunnel";
    static final String OPERATION = "connect";
    static final String ACCEPT = "accept";
    /** The first byte of an accept stream: a connection came to the Host's port. */
    static final byte ACCEPTED = 1;
    /** How long reaching a local destination of a reverse tunnel may take. */
    static final int CONNECT_MILLIS = 10_000;
    /** At most this many connections through the tunnel at once; the Host has its own bound. */
    static final int MAX_CONNECTIONS = 256;

    /** What {@code tandem guest} does to reach a Host: its own logon. */
    @FunctionalInterface
    interface Connector {
        HostConnection connect(String address) throws GuestCommand.Usage, GuestCommand.Failure, InterruptedException;
    }

    /** One forwarding: a local address and port to a host and port the Host reaches. */
    record Forward(String bind, int port, String host, int hostPort) {

        /** {@code [BIND:]PORT:HOST:PORT}; BIND and HOST may be IPv6 addresses in brackets. */
        static Forward parse(String spec) {
            List<String> parts = new ArrayList<>();
            int i = 0;
            while (i <= spec.length()) {
                int end;
                if (i < spec.length() && spec.charAt(i) == '[') {
                    int close = spec.indexOf(']', i);
                    if (close < 0 || close + 1 < spec.length() && spec.charAt(close + 1) != ':') {
                        throw new IllegalArgumentException(spec);
                    }
                    parts.add(spec.substring(i + 1, close));
                    end = close + 1;
                } else {
                    int colon = spec.indexOf(':', i);
                    end = colon < 0 ? spec.length() : colon;
                    parts.add(spec.substring(i, end));
                }
                i = end + 1;
            }
            if (parts.size() != 3 && parts.size() != 4 || parts.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException(spec);
            }
            int o = parts.size() - 3;
            int port = port(parts.get(o), 0, spec);
            int hostPort = port(parts.get(o + 2), 1, spec);
            return new Forward(o == 0 ? "127.0.0.1" : parts.get(0), port, parts.get(o + 1), hostPort);
        }

        private static int port(String s, int min, String spec) {
            if (!s.matches("\\d{1,5}") || Integer.parseInt(s) < min || Integer.parseInt(s) > 65535) {
                throw new IllegalArgumentException(spec);
            }
            return Integer.parseInt(s);
        }

        String where() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + hostPort;
        }
    }

    /** The forwardings of an option's value, a comma-separated list (none for null). */
    static List<Forward> forwards(String value) {
        List<Forward> all = new ArrayList<>();
        if (value != null) {
            for (String spec : value.split(",")) {
                all.add(Forward.parse(spec.trim()));
            }
        }
        return all;
    }

    private final RemoteTools tools;
    private final PrintStream out;
    private final PrintStream err;
    private final Semaphore places = new Semaphore(MAX_CONNECTIONS);

    TunnelActions(RemoteTools tools, PrintStream out, PrintStream err) {
        this.tools = tools;
        this.out = out;
        this.err = err;
    }

    /** Runs {@code tunnel ADDRESS} with the {@code --local} and {@code --remote} lists until the connection ends. */
    int run(List<String> args, String local, String remote, Connector connector)
            throws GuestCommand.Usage, GuestCommand.Failure, InterruptedException {
        if (args.size() != 2 || local == null && remote == null) {
            throw new GuestCommand.Usage("tandem guest tunnel: give ADDRESS --local [BIND:]PORT:HOST:PORT and/or"
                    + " --remote [BIND:]PORT:HOST:PORT, e.g. 'tandem guest tunnel 10.0.0.5 --local 8080:localhost:80'");
        }
        List<Forward> forwards;
        List<Forward> reverse;
        try {
            forwards = forwards(local);
            reverse = forwards(remote);
        } catch (IllegalArgumentException e) {
            throw new GuestCommand.Usage("tandem guest tunnel: '" + e.getMessage() + "' is not [BIND:]PORT:HOST:PORT");
        }
        if (reverse.stream().anyMatch(f -> f.port() == 0)) {
            throw new GuestCommand.Usage("tandem guest tunnel: a --remote port is 1 to 65535");
        }
        List<ServerSocket> servers = new ArrayList<>();
        HostConnection c = connector.connect(args.get(1));
        try {
            if (!c.privileges().contains(Privilege.TUNNEL)) {
                throw new GuestCommand.Failure("your role '" + c.role() + "' does not allow Tunnel", ExitStatus.REFUSED);
            }
            for (Forward f : forwards) {
                ServerSocket server = new ServerSocket();
                servers.add(server);
                try {
                    server.bind(new InetSocketAddress(f.bind(), f.port()), 50);
                } catch (IOException e) {
                    throw new GuestCommand.Failure("cannot listen on " + f.bind() + ":" + f.port() + ": " + e.getMessage());
                }
            }
            for (int i = 0; i < forwards.size(); i++) {
                Forward f = forwards.get(i);
                ServerSocket server = servers.get(i);
                out.println("Forwarding " + local(server) + " to " + PeerText.escape(f.where()) + " through "
                        + PeerText.escape(c.hostName()));
                daemon(() -> accept(server, f, c), "tandem-tunnel-accept-" + f.port()).start();
            }
            for (Forward f : reverse) {
                // The first wait is opened here, so a refusal ends the command before it says it runs.
                CompletableFuture<Boolean> first = accept(f, c);
                out.println("Forwarding " + PeerText.escape(c.hostName()) + " " + (f.bind().contains(":") ? "["
                        + f.bind() + "]" : f.bind()) + ":" + f.port() + " to " + PeerText.escape(f.where()) + " here");
                daemon(() -> acceptLoop(f, c, first), "tandem-tunnel-remote-" + f.port()).start();
            }
            out.println("Ctrl+C ends the tunnel.");
            out.flush();
            String reason = c.closed().toCompletableFuture().get();
            throw new GuestCommand.Failure("disconnected: " + reason);
        } catch (IOException e) {
            throw new GuestCommand.Failure("cannot listen: " + e.getMessage());
        } catch (ExecutionException e) {
            throw new GuestCommand.Failure("disconnected: " + e.getCause().getMessage());
        } finally {
            for (ServerSocket s : servers) {
                try {
                    s.close();
                } catch (IOException e) {
                    // stopping anyway
                }
            }
            c.close("the Guest ended the tunnel");
        }
    }

    private static String local(ServerSocket server) {
        InetSocketAddress a = (InetSocketAddress) server.getLocalSocketAddress();
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void accept(ServerSocket server, Forward f, HostConnection c) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!places.tryAcquire()) {
                say(f, "refused: " + MAX_CONNECTIONS + " connections run already");
                close(s);
                continue;
            }
            daemon(() -> {
                try {
                    carry(s, f, c);
                } finally {
                    places.release();
                }
            }, "tandem-tunnel-" + f.port()).start();
        }
    }

    /** One local connection: a stream of its own to the Host, until either side ends. */
    private void carry(Socket socket, Forward f, HostConnection c) {
        SocketPipe pipe = new SocketPipe(socket, f.where());
        AtomicBoolean byUs = new AtomicBoolean();
        CompletableFuture<Void> done = new CompletableFuture<>();
        OpenStream stream;
        try {
            socket.setTcpNoDelay(true);
            stream = tools.stream(c, TOOL, OPERATION, StreamKind.BYTES,
                    Map.of("host", f.host(), "port", Integer.toString(f.hostPort())), new StreamListener() {
                        @Override
                        public CompletionStage<Void> data(ByteBuffer data) {
                            return pipe.write(data);
                        }

                        @Override
                        public void ended(String sentence, boolean ok) {
                            if (ok) {
                                pipe.finish();
                            } else {
                                pipe.close();
                                if (!byUs.get()) {
                                    say(f, "ended: " + sentence);
                                }
                            }
                            done.complete(null);
                        }
                    });
        } catch (ToolException | GuestException | IOException e) {
            say(f, "refused: " + e.getMessage());
            pipe.close();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pipe.close();
            return;
        }
        pipe.start(stream::write, stream.maxWrite(), failure -> {
            byUs.set(true);
            stream.close();
        });
        done.join();
    }

    /**
     * Opens one accept stream for {@code f} on the Host; the stage completes when a connection came to it (true)
     * or it ended without one (false).
     */
    private CompletableFuture<Boolean> accept(Forward f, HostConnection c) throws GuestCommand.Failure, InterruptedException {
        CompletableFuture<Boolean> accepted = new CompletableFuture<>();
        CompletableFuture<OpenStream> self = new CompletableFuture<>();
        AtomicBoolean byUs = new AtomicBoolean();
        SocketPipe[] pipe = new SocketPipe[1];
        StreamListener listener = new StreamListener() {
            @Override
            public CompletionStage<Void> data(ByteBuffer data) {
                if (pipe[0] == null) {
                    OpenStream stream = self.join();
                    if (data.get() != ACCEPTED) {
                        byUs.set(true);
                        stream.close();
                        return CompletableFuture.completedFuture(null);
                    }
                    accepted.complete(true);
                    Socket local = new Socket();
                    try {
                        local.connect(new InetSocketAddress(f.host(), f.hostPort()), CONNECT_MILLIS);
                        local.setTcpNoDelay(true);
                    } catch (IOException | IllegalArgumentException e) {
                        say(f, "cannot be reached here: " + e.getMessage());
                        close(local);
                        byUs.set(true);
                        stream.close();
                        return CompletableFuture.completedFuture(null);
                    }
                    pipe[0] = new SocketPipe(local, f.where());
                    pipe[0].start(stream::write, stream.maxWrite(), failure -> {
                        byUs.set(true);
                        stream.close();
                    });
                }
                return data.hasRemaining() ? pipe[0].write(data) : CompletableFuture.completedFuture(null);
            }

            @Override
            public void ended(String sentence, boolean ok) {
                accepted.complete(false);
                SocketPipe p = pipe[0];
                if (p != null && ok) {
                    p.finish();
                } else if (p != null) {
                    p.close();
                }
                if (!ok && !byUs.get() && p != null) {
                    say(f, "ended: " + sentence);
                }
            }
        };
        try {
            self.complete(tools.stream(c, TOOL, ACCEPT, StreamKind.BYTES,
                    Map.of("bind", f.bind(), "port", Integer.toString(f.port())), listener));
        } catch (ToolException | GuestException e) {
            throw new GuestCommand.Failure("the Host does not listen on " + f.bind() + ":" + f.port() + " for you: "
                    + e.getMessage());
        }
        return accepted;
    }

    /** Keeps one accept stream waiting for {@code f} until the connection ends or the Host refuses. */
    private void acceptLoop(Forward f, HostConnection c, CompletableFuture<Boolean> first) {
        CompletableFuture<Boolean> waiting = first;
        while (c.isOpen()) {
            try {
                if (!waiting.join()) {
                    // Ended without a connection (the Host's tool stopped, say): do not spin.
                    Thread.sleep(1000);
                }
                if (!c.isOpen()) {
                    return;
                }
                waiting = accept(f, c);
            } catch (GuestCommand.Failure e) {
                say(f, "stopped: " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void say(Forward f, String what) {
        synchronized (err) {
            err.println("tandem: tunnel to " + PeerText.escape(f.where()) + " " + PeerText.escape(what));
            err.flush();
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // refused anyway
        }
    }
}
