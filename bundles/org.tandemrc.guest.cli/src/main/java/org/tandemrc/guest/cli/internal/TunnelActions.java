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
 * {@code tandem guest tunnel ADDRESS --local [BIND:]PORT:HOST:PORT[,...]}: listens on each local port (on
 * loopback unless BIND says otherwise) and carries every connection to it through the Host's tunnel tool to
 * HOST:PORT as the Host sees it, one stream per connection, until the connection to the Host ends or the
 * command is stopped. The Host decides where the Guest's role may go; a refused connection is closed and
 * its reason printed. TCP's half-close is not carried: a local client that ends its sending ends the tunnel.
 */
final class TunnelActions {

    static final Set<String> VERBS = Set.of("tunnel");
    static final String TOOL = "tunnel";
    static final String OPERATION = "connect";
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

    /** The forwardings of {@code --local} values, each a comma-separated list. */
    static List<Forward> forwards(List<String> values) {
        List<Forward> all = new ArrayList<>();
        for (String v : values) {
            for (String spec : v.split(",")) {
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

    /**
     * Runs {@code tunnel ADDRESS [SPEC ...]} with {@code local} (the first {@code --local}; a repeated one
     * arrives as further words) until the connection ends.
     */
    int run(List<String> args, String local, Connector connector)
            throws GuestCommand.Usage, GuestCommand.Failure, InterruptedException {
        if (args.size() < 2 || local == null) {
            throw new GuestCommand.Usage("tandem guest tunnel: give ADDRESS --local [BIND:]PORT:HOST:PORT, e.g."
                    + " 'tandem guest tunnel 10.0.0.5 --local 8080:localhost:80'");
        }
        List<String> values = new ArrayList<>(List.of(local));
        values.addAll(args.subList(2, args.size()));
        List<Forward> forwards;
        try {
            forwards = forwards(values);
        } catch (IllegalArgumentException e) {
            throw new GuestCommand.Usage("tandem guest tunnel: '" + e.getMessage() + "' is not [BIND:]PORT:HOST:PORT");
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
