package org.tandemrc.comm.terminalserver.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.TandemDeviceType;
import org.tandemrc.support.comm.DescribedDevice;
import org.tandemrc.support.comm.CommonSettings;
import org.tandemrc.support.comm.DeviceEndpoint;

/**
 * The {@code terminal-server} device: on a multi-user machine (a terminal server), every user session
 * runs its own Host, and each Host listens on a Unix domain socket named after the session's user in
 * one shared folder, e.g. {@code /run/tandem/alice.sock}. A Guest on that machine, or a Gateway
 * running on its console, reaches the Host of a session by the user's name:
 * {@code terminal-server:alice}.
 *
 * <p>Profile settings: {@code socket-dir} (default {@code /run/tandem}, or {@code tandem} in the
 * temporary folder when {@code /run} is not writable), {@code session} (listen only: the session name; default the user
 * logged on at the Host, from the Host role's {@code host.user}), {@code max-message} (bytes, default
 * 1 MiB). An address is a session name, or the absolute path of a socket.
 */
@Component(service = CommunicationDevice.class)
@TandemDeviceType(TerminalServerDevice.TYPE)
public class TerminalServerDevice extends DescribedDevice {

    static final String TYPE = "terminal-server";
    private static final System.Logger LOG = System.getLogger("org.tandemrc.comm.terminalserver");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private static final List<DeviceSetting> SETTINGS = List.of(
            DeviceSetting.text("socket-dir", null, "folder of the session sockets; default /run/tandem, else tandem in the temporary folder"),
            DeviceSetting.text("session", null, "listen only: the session name; default the Host's host.user"),
            DeviceSetting.text("host.user", null, "the user logged on at the Host, as the Host role sets it"),
            CommonSettings.MAX_MESSAGE);

    private final Set<SocketLink> links = ConcurrentHashMap.newKeySet();
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();
    private final AtomicInteger serial = new AtomicInteger();
    private volatile boolean active;

    public TerminalServerDevice() {
        super(TYPE, SETTINGS);
    }

    @Activate
    public void activate() {
        active = true;
    }

    @Deactivate
    public void deactivate() {
        // The bundle is going away: every endpoint and link of this device goes with it.
        active = false;
        for (Listener l : listeners) {
            l.close();
        }
        for (SocketLink l : links) {
            l.abort("the terminal-server device stopped");
        }
    }

    @Override
    public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException {
        int maxMessage = maxMessage(profile);
        Path dir = socketDir(profile);
        String name = profile.text("session", profile.text("host.user", System.getProperty("user.name", "")));
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("profile '" + profile.name() + "': session=" + name
                    + " is not a session name (letters, digits, . _ @ -, at most 64)");
        }
        Files.createDirectories(dir);
        Path socket = dir.resolve(name + ".sock");
        String shown = TYPE + ":" + name + " (" + socket + ")";
        if (Files.exists(socket)) {
            if (answers(socket)) {
                throw new IOException("cannot listen on " + shown + ": another Host listens there already");
            }
            Files.deleteIfExists(socket); // left behind by a Host that did not stop cleanly
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            // Anyone on the machine may connect: who gets in is decided by the Host's logon above.
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException | UnsupportedOperationException e) {
            server.close();
            throw new IOException("cannot listen on " + shown + ": " + e.getMessage(), e);
        }
        Listener listener = new Listener(server, socket, TYPE + ":" + name, maxMessage, acceptor);
        listeners.add(listener);
        listener.start();
        return new DeviceEndpoint(profile, listener.address, listener::close);
    }

    @Override
    public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        Path socket;
        int maxMessage;
        try {
            maxMessage = maxMessage(profile);
            socket = socketOf(profile, address);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(e);
            return result;
        }
        Thread t = new Thread(() -> {
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                SocketLink link = link(channel, maxMessage, "guest", address);
                CompletableFuture<Void> opened = new CompletableFuture<>();
                link.start(l -> {
                    opened.complete(null);
                    return handler;
                }, "tandem-ts-" + serial.incrementAndGet());
                opened.join();
                result.complete(link);
            } catch (IOException e) {
                result.completeExceptionally(new IOException("cannot connect to " + TYPE + ":" + address + ": "
                        + (Files.exists(socket) ? e.getMessage() : "no Host listens for that session (" + socket + ")"), e));
            }
        }, "tandem-ts-connect");
        t.setDaemon(true);
        t.start();
        return result;
    }

    private SocketLink link(SocketChannel channel, int maxMessage, String local, String remote) {
        SocketLink[] self = new SocketLink[1];
        self[0] = new SocketLink(channel, maxMessage, local, remote, () -> links.remove(self[0]));
        links.add(self[0]);
        if (!active) {
            self[0].abort("the terminal-server device stopped");
        }
        return self[0];
    }

    /** Where a session's socket is: a name in the profile's folder, or an absolute path. */
    static Path socketOf(CommunicationProfile profile, String address) {
        String a = address.trim();
        if (a.startsWith("/")) {
            return Path.of(a);
        }
        if (!NAME.matcher(a).matches()) {
            throw new IllegalArgumentException("'" + address + "' is not a session name or a socket path;"
                    + " write terminal-server:USER, e.g. terminal-server:alice");
        }
        return socketDir(profile).resolve(a + ".sock");
    }

    static Path socketDir(CommunicationProfile profile) {
        String dir = profile.text("socket-dir", "");
        if (!dir.isEmpty()) {
            return Path.of(dir);
        }
        Path run = Path.of("/run");
        return Files.isWritable(run) || Files.isDirectory(run.resolve("tandem"))
                ? run.resolve("tandem") : Path.of(System.getProperty("java.io.tmpdir"), "tandem");
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int maxMessage(CommunicationProfile profile) {
        return profile.integer(CommonSettings.MAX_MESSAGE);
    }

    /** One listening socket and its accepting thread. */
    private final class Listener {
        private final ServerSocketChannel server;
        private final Path socket;
        private final String address;
        private final int maxMessage;
        private final LinkAcceptor acceptor;
        private volatile boolean closed;

        Listener(ServerSocketChannel server, Path socket, String address, int maxMessage, LinkAcceptor acceptor) {
            this.server = server;
            this.socket = socket;
            this.address = address;
            this.maxMessage = maxMessage;
            this.acceptor = acceptor;
        }

        void start() {
            Thread t = new Thread(this::accept, "tandem-ts-accept " + address);
            t.setDaemon(true);
            t.start();
        }

        private void accept() {
            while (!closed) {
                try {
                    SocketChannel channel = server.accept();
                    SocketLink link = link(channel, maxMessage, address, TYPE + ":peer-" + serial.incrementAndGet());
                    link.start(acceptor::accepted, "tandem-ts-" + serial.get());
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: accepting failed: {1}", address, e.getMessage());
                }
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            listeners.remove(this);
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "could not remove {0}: {1}", socket, e.getMessage());
            }
        }
    }
}
