package org.tandemrc.tool.tunnel.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.StreamingTool;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;
import org.tandemrc.toolkit.stream.SocketPipe;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Tunnel: one TCP connection from the Host to a destination on or behind it, carried as a
 * {@link StreamKind#BYTES} stream; the Guest's {@code tandem guest tunnel} opens one per connection to its local
 * port. Where each role may go is configured under {@value #PID}: each key is a role's name, its value that
 * role's {@link Destinations} (none by default, so installing the tool opens nothing). The connection goes
 * to the address that was checked.
 *
 * <p>The reverse: {@code accept} listens on a Host address and port that {@code listen.ROLE} allows (same
 * rules), and carries the next connection to it; its stream's first byte, {@link #ACCEPTED}, tells the Guest
 * a connection came (before the peer sends anything), the peer's bytes follow.
 */
@Component(service = RemoteTool.class, configurationPid = TunnelTool.PID)
@TandemToolId(TunnelTool.ID)
public class TunnelTool extends OperationTool implements StreamingTool {

    static final String ID = "tunnel";
    static final String PID = "org.tandemrc.tool.tunnel";
    /** How long reaching a destination may take. */
    static final int CONNECT_MILLIS = 10_000;
    /** At most this many tunnels at once, for every Guest together: each holds a socket and two threads. */
    static final int MAX_TUNNELS = 256;
    /** Properties the framework and the configuration's file add: no role's name. */
    private static final Set<String> FRAMEWORK_PREFIXES = Set.of("service.", "component.", "felix.", "osgi.",
            "objectClass", RemoteTool.ID_PROPERTY);

    static final Operation CONNECT = new Operation("connect", "Connect to a port", List.of(
            Field.of("host", "Host (name or address, as the Host's network knows it)", FieldType.TEXT, true),
            Field.of("port", "Port", FieldType.INTEGER, true)), false, StreamKind.BYTES);

    /** It opens a port on the Host that others there can reach: a change, audited when it opens and ends. */
    static final Operation ACCEPT = new Operation("accept", "Accept a connection on a Host port", List.of(
            Field.of("bind", "Host address to listen on (default 127.0.0.1)", FieldType.TEXT, false),
            Field.of("port", "Port", FieldType.INTEGER, true)), true, StreamKind.BYTES);
    /** The first byte of an {@code accept} stream: a connection came. */
    static final byte ACCEPTED = 1;
    /** The prefix of the keys that list where each role may listen. */
    static final String LISTEN = "listen.";

    private final Listeners listeners = new Listeners();

    private static final System.Logger LOG = System.getLogger("org.tandemrc.tool.tunnel");

    private volatile Map<String, Destinations> roles = Map.of();
    private final AtomicInteger open = new AtomicInteger();

    public TunnelTool() {
        super(ID, "Tunnel", "Network");
        for (Operation op : List.of(CONNECT, ACCEPT)) {
            operation(op, arguments -> {
                throw new ToolException(op.title() + " streams: open it with 'tandem guest tunnel'");
            });
        }
    }

    @Deactivate
    void deactivate() {
        listeners.closeAll();
    }

    @Override
    public Privilege requiredPrivilege() {
        return Privilege.TUNNEL;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Map<String, Destinations> m = new HashMap<>();
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            if (FRAMEWORK_PREFIXES.stream().anyMatch(e.getKey()::startsWith)) {
                continue;
            }
            String text = e.getValue() instanceof String[] a ? String.join(",", a) : String.valueOf(e.getValue());
            List<String> problems = new ArrayList<>();
            m.put(e.getKey(), Destinations.parse(text, problems));
            for (String p : problems) {
                LOG.log(System.Logger.Level.WARNING, "tunnel destinations of the role ''{0}'': {1}", e.getKey(), p);
            }
        }
        roles = Map.copyOf(m);
    }

    @Override
    public StreamInput open(String operationId, Map<String, String> arguments, ToolStream output) throws ToolException {
        boolean accept = operationId.equals(ACCEPT.id());
        if (!accept && !operationId.equals(CONNECT.id())) {
            throw new ToolException("Tunnel has no streaming operation '" + operationId + "'");
        }
        String role = output.roleName();
        String given = accept ? arguments.getOrDefault("bind", "127.0.0.1") : arguments.getOrDefault("host", "");
        int port;
        try {
            port = Integer.parseInt(arguments.getOrDefault("port", ""));
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (port < 1 || port > 65535) {
            throw new ToolException("a port is 1 to 65535");
        }
        String host;
        try {
            host = Destinations.checked(given);
        } catch (IllegalArgumentException e) {
            throw new ToolException(e.getMessage());
        }
        String where = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        Destinations allowed = roles.getOrDefault(accept ? LISTEN + role : role, Destinations.NONE);
        if (allowed.isEmpty()) {
            throw new ToolException("the role '" + role + "' may open no " + (accept ? "reverse " : "")
                    + "tunnel on this Host (its tunnel settings list none)");
        }
        List<InetAddress> resolved;
        try {
            resolved = List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new ToolException("the Host does not know " + host);
        }
        InetAddress address = allowed.allowed(host, port, resolved);
        if (address == null) {
            throw new ToolException("the role '" + role + "' may not " + (accept ? "listen on " : "open a tunnel to ")
                    + where);
        }
        if (open.incrementAndGet() > MAX_TUNNELS) {
            open.decrementAndGet();
            throw new ToolException("the Host carries " + MAX_TUNNELS + " tunnels already; close one first");
        }
        if (accept) {
            return accepting(address, port, where, output);
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), CONNECT_MILLIS);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            open.decrementAndGet();
            closeQuietly(socket);
            throw new ToolException("cannot reach " + where + ": " + e.getMessage());
        }
        return tunnel(socket, where, output);
    }

    /** An {@code accept} stream: waits for a connection on the Host, then carries it as {@link #tunnel} does. */
    private StreamInput accepting(InetAddress address, int port, String where, ToolStream output) throws ToolException {
        Runnable release = releaser();
        Listeners.Wait wait;
        try {
            wait = listeners.await(address, port, output.guestName(), where);
        } catch (ToolException e) {
            release.run();
            throw e;
        }
        java.util.concurrent.CompletableFuture<StreamInput> connected = new java.util.concurrent.CompletableFuture<>();
        wait.start(socket -> {
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                // only latency
            }
            output.write(ByteBuffer.wrap(new byte[] {ACCEPTED}));
            connected.complete(tunnel(socket, socket.getRemoteSocketAddress() + " on " + where, output, release));
        }, failure -> {
            output.end("listening on " + where + " failed: " + failure, false);
            release.run();
        });
        return new StreamInput() {
            @Override
            public CompletionStage<Void> data(ByteBuffer data) {
                StreamInput in = connected.getNow(null);
                return in != null ? in.data(data)
                        : java.util.concurrent.CompletableFuture.failedFuture(new IOException("no connection yet"));
            }

            @Override
            public void closed(String reason) {
                wait.cancel();
                StreamInput in = connected.getNow(null);
                if (in != null) {
                    in.closed(reason);
                } else {
                    release.run();
                }
            }
        };
    }

    /** Gives back a place among {@link #MAX_TUNNELS}, once however often it runs. */
    private Runnable releaser() {
        AtomicInteger once = new AtomicInteger();
        return () -> {
            if (once.getAndIncrement() == 0) {
                open.decrementAndGet();
            }
        };
    }

    private StreamInput tunnel(Socket socket, String where, ToolStream output) {
        return tunnel(socket, where, output, releaser());
    }

    private StreamInput tunnel(Socket socket, String where, ToolStream output, Runnable release) {
        SocketPipe pipe = new SocketPipe(socket, where);
        pipe.start(output::write, output.maxWrite(), failure -> {
            if (failure == null) {
                output.end(where + " closed the connection", true);
            } else {
                output.end("the connection to " + where + " failed: " + failure, false);
            }
            pipe.close();
            release.run();
        });
        return new StreamInput() {
            @Override
            public CompletionStage<Void> data(ByteBuffer data) {
                return pipe.write(data);
            }

            @Override
            public void closed(String reason) {
                pipe.close();
                release.run();
            }
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing was sent on it
        }
    }
}
