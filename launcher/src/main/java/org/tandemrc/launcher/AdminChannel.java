package org.tandemrc.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The local-only admin channel of a running node: a Unix domain socket in {@code run/}, a folder
 * only the node's owner can enter, and a peer-credential check so that no other user (except root)
 * can drive the node.
 *
 * <p>Wire format, one UTF-8 line each: the client sends {@code tandem-admin 1}, its arguments one per
 * line and an empty line; the node answers with lines starting {@code 1 } (output) or {@code 2 }
 * (error output) and a last line {@code 0 STATUS}.
 */
final class AdminChannel {

    private static final String HELLO = "tandem-admin 1";
    private static final Logger LOG = Logger.getLogger("org.tandemrc.launcher.admin");

    /** Runs one admin command; writes to out/err, returns the exit status. */
    interface Handler {
        int handle(List<String> args, PrintWriter out, PrintWriter err);
    }

    private AdminChannel() {
    }

    /** Whether a node answers on the socket. */
    static boolean isServed(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts serving on a daemon thread; closing the returned channel stops it. */
    static ServerSocketChannel serve(Path socket, Handler handler) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        String owner = System.getProperty("user.name");
        Thread acceptor = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel client = server.accept();
                    Thread t = new Thread(() -> serveOne(client, owner, handler), "tandem-admin-session");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    if (server.isOpen()) {
                        LOG.log(Level.WARNING, "admin channel: " + e.getMessage(), e);
                    }
                }
            }
        }, "tandem-admin");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static void serveOne(SocketChannel client, String owner, Handler handler) {
        try (client;
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                Writer raw = new OutputStreamWriter(Channels.newOutputStream(client), StandardCharsets.UTF_8)) {
            PrintWriter reply = new PrintWriter(raw, true);
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String user = peer.user().getName();
            if (!user.equals(owner) && !user.equals("root")) {
                LOG.warning("admin channel: refused user " + user);
                reply.println("2 tandem: this node belongs to " + owner + "; user " + user + " may not drive it");
                reply.println("0 1");
                return;
            }
            if (!HELLO.equals(in.readLine())) {
                reply.println("2 tandem: the admin client speaks another version; use this distribution's bin/tandem");
                reply.println("0 2");
                return;
            }
            List<String> args = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                args.add(line);
            }
            PrintWriter out = prefixed(reply, "1 ");
            PrintWriter err = prefixed(reply, "2 ");
            int status;
            try {
                status = handler.handle(args, out, err);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "admin command " + args + " failed", e);
                err.println("tandem: " + e);
                status = 1;
            }
            out.flush();
            err.flush();
            reply.println("0 " + status);
        } catch (IOException e) {
            LOG.log(Level.FINE, "admin client went away", e);
        }
    }

    /** A writer that sends each line with a prefix. */
    private static PrintWriter prefixed(PrintWriter target, String prefix) {
        return new PrintWriter(new Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void write(char[] buf, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    if (buf[i] == '\n') {
                        emit();
                    } else if (buf[i] != '\r') {
                        line.append(buf[i]);
                    }
                }
            }

            private void emit() {
                synchronized (target) {
                    target.println(prefix + line);
                }
                line.setLength(0);
            }

            @Override
            public void flush() {
                if (line.length() > 0) {
                    emit();
                }
            }

            @Override
            public void close() {
                flush();
            }
        }, true);
    }

    /**
     * Sends a command to the node whose socket this is, copying its output.
     *
     * @return the command's exit status
     * @throws IOException when no node answers
     */
    static int call(Path socket, List<String> args, PrintStream out, PrintStream err) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                PrintWriter w = new PrintWriter(
                        new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8))) {
            w.println(HELLO);
            for (String a : args) {
                if (a.indexOf('\n') >= 0 || a.isEmpty()) {
                    throw new IOException("an argument may not be empty or span lines");
                }
                w.println(a);
            }
            w.println();
            w.flush();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("1 ")) {
                    out.println(line.substring(2));
                } else if (line.startsWith("2 ")) {
                    err.println(line.substring(2));
                } else if (line.startsWith("0 ")) {
                    return Integer.parseInt(line.substring(2).trim());
                }
            }
            throw new IOException("the node closed the admin channel before answering");
        }
    }
}
