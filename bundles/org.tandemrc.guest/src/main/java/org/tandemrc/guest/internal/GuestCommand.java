package org.tandemrc.guest.internal;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.node.Command;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.protocol.Connection;
import org.tandemrc.protocol.ControlMessage;
import org.tandemrc.protocol.HostIdentity;
import org.tandemrc.protocol.Priority;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.SessionChannel;
import org.tandemrc.protocol.SessionDenied;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.SrpClient;

/** {@code tandem guest connect|message|chat ADDRESS ...}: the Guest on the command line. */
@Component(service = Command.class, property = Command.NAME_PROPERTY + "=guest")
public class GuestCommand implements Command {

    private static final long STEP_SECONDS = 20;

    private final Map<String, CommunicationDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, SessionType> sessionTypes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private ScheduledExecutorService scheduler;
    private Path home;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDevice(CommunicationDevice d) {
        devices.put(d.type(), d);
    }

    void unbindDevice(CommunicationDevice d) {
        devices.remove(d.type(), d);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSessionType(SessionType t) {
        sessionTypes.put(t.id(), t);
    }

    void unbindSessionType(SessionType t) {
        sessionTypes.remove(t.id(), t);
    }

    @Activate
    void activate(BundleContext context) {
        String h = context.getProperty("tandem.home");
        home = Path.of(h == null ? "." : h);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tandem-guest-timers");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
    }

    /** Wrong usage: exit status 2. */
    private static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String m) {
            super(m);
        }
    }

    /** A failure to report: exit status 1. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String m) {
            super(m);
        }
    }

    @Override
    public int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        try {
            return execute(new ArrayList<>(args), in, out, err);
        } catch (Usage e) {
            err.println(e.getMessage());
            err.println("Try 'tandem guest --help'.");
            return 2;
        } catch (Failure e) {
            err.println("tandem: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int execute(List<String> args, InputStream in, PrintStream out, PrintStream err)
            throws Usage, Failure, InterruptedException {
        String guestId = take(args, "--guest-id");
        String outFile = take(args, "--out");
        String passwordFile = take(args, "--password-file");
        boolean passwordStdin = args.remove("--password-stdin");
        boolean acceptNewKey = args.remove("--accept-new-key");
        for (String a : args) {
            if (a.startsWith("--")) {
                throw new Usage("tandem guest: unknown option " + a);
            }
        }
        if (args.size() < 2) {
            throw new Usage("tandem guest: say what to do and where, e.g. 'tandem guest connect tcp:127.0.0.1:6502'");
        }
        String verb = args.get(0);
        if (!List.of("connect", "message", "chat", "screenshot", "type", "keys", "clipboard", "watch", "latency").contains(verb)) {
            throw new Usage("tandem guest: unknown command '" + verb
                    + "'; use connect, message, chat, screenshot, type, keys, clipboard, watch or latency");
        }
        List<String> text = new ArrayList<>(args.subList(2, args.size()));
        if (verb.equals("clipboard") && (text.isEmpty() || !(text.get(0).equals("get") && text.size() == 1
                || text.get(0).equals("set") && text.size() > 1))) {
            throw new Usage("tandem guest clipboard: say 'get', or 'set TEXT'");
        }
        if (List.of("message", "type", "keys").contains(verb) && String.join(" ", text).isBlank()) {
            throw new Usage("tandem guest " + verb + ": give the " + (verb.equals("keys") ? "keys, e.g. ctrl+alt+del"
                    : "text") + " after the address");
        }
        if (List.of("connect", "chat", "screenshot").contains(verb) && !text.isEmpty()) {
            throw new Usage("tandem guest " + verb + ": unexpected '" + text.get(0) + "'");
        }
        if (verb.equals("screenshot")) {
            if (outFile == null) {
                throw new Usage("tandem guest screenshot: say where to save it with --out FILE.png");
            }
            text.add(Path.of(outFile).toAbsolutePath().toString());
        }
        if (passwordFile != null && passwordStdin) {
            throw new Usage("tandem guest: give --password-file or --password-stdin, not both");
        }
        Address address = Address.parse(args.get(1), devices.keySet());
        CommunicationDevice device = devices.get(address.device());
        if (device == null) {
            throw new Failure("the " + address.device() + " communication device is not installed on this Guest");
        }
        char[] password = password(passwordFile, passwordStdin, in, guestId, address);
        try {
            return session(verb, text, address, device, guestId, password, acceptNewKey, out, err);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private int session(String verb, List<String> text, Address address, CommunicationDevice device, String guestId,
            char[] password, boolean acceptNewKey, PrintStream out, PrintStream err)
            throws Failure, InterruptedException {
        Listener listener = new Listener();
        Connection c = Connection.guest(localName(), String.join(",", sessionTypes.keySet()), listener, scheduler,
                random);
        try {
            await(device.connect(new CommunicationProfile("guest", address.device(), Map.of()), address.target(), c)
                    .toCompletableFuture(), "connecting to " + address);
            awaitSecured(listener);
            byte[] hostKey = c.hostKey().orElseThrow();
            String fingerprint = HostIdentity.fingerprint(hostKey);
            String pinNote = pin(address, fingerprint, acceptNewKey, c);
            ControlMessage ok = logOn(c, listener, guestId, password);
            String role = ok.text("role", "?");
            String privileges = ok.text("privileges", "");
            switch (verb) {
                case "connect" -> {
                    out.println("Connected to " + ok.text("host", c.peerName()) + " at " + address);
                    out.println("  identity    " + fingerprint + " (" + pinNote + ")");
                    out.println("  role        " + role);
                    out.println("  privileges  " + (privileges.isEmpty() ? "none" : privileges.replace(",", ", ")));
                    c.close("the Guest disconnected");
                    return 0;
                }
                case "screenshot", "type", "keys", "clipboard", "watch", "latency" -> {
                    List<String> action = new ArrayList<>(List.of(verb));
                    action.addAll(text);
                    String reason = runSession(c, "remote-control", action, ok, privileges);
                    c.close("the Guest disconnected");
                    if (reason.startsWith("ok: ")) {
                        out.println(reason.substring(4));
                        return 0;
                    }
                    err.println("tandem: " + reason);
                    return 1;
                }
                default -> {
                    String reason = runSession(c, verb, text, ok, privileges);
                    out.println(reason);
                    c.close("the Guest disconnected");
                    return verb.equals("message") && !reason.equals("Message delivered.") ? 1 : 0;
                }
            }
        } catch (Failure e) {
            c.close(e.getMessage());
            throw e;
        }
    }

    private String runSession(Connection c, String verb, List<String> text, ControlMessage ok, String privileges)
            throws Failure, InterruptedException {
        SessionType type = sessionTypes.get(verb);
        if (type == null) {
            throw new Failure("the " + verb + " session type is not installed on this Guest");
        }
        SessionChannel channel;
        try {
            channel = c.open(verb, verb.equals("remote-control") ? Priority.SCREEN : Priority.CONTROL).toCompletableFuture().get(10 * 60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SessionDenied) {
                throw new Failure("the Host refused the " + type.title() + " session: " + cause.getMessage());
            }
            throw new Failure(String.valueOf(cause.getMessage()));
        } catch (TimeoutException e) {
            throw new Failure("the Host did not answer the " + type.title() + " request");
        }
        CompletableFuture<String> ended = new CompletableFuture<>();
        Set<Privilege> granted = parsePrivileges(privileges);
        SessionHandler handler = type.open(new GuestContext(channel, ok.text("host", c.peerName()), localName(),
                granted, List.copyOf(text)));
        channel.attach(new SessionHandler() {
            @Override
            public void received(ByteBuffer message) {
                handler.received(message);
            }

            @Override
            public void closed(String reason) {
                handler.closed(reason);
                ended.complete(reason);
            }
        });
        String reason = ended.join();
        if (verb.equals("message")) {
            return reason.equals("message delivered") ? "Message delivered." : "The message was not delivered: " + reason;
        }
        if (verb.equals("remote-control")) {
            return reason;
        }
        return type.title() + " ended: " + reason;
    }

    private static Set<Privilege> parsePrivileges(String csv) {
        Set<Privilege> set = java.util.EnumSet.noneOf(Privilege.class);
        for (String p : csv.split(",")) {
            try {
                if (!p.isBlank()) {
                    set.add(Privilege.valueOf(p.trim().toUpperCase(java.util.Locale.ROOT)));
                }
            } catch (IllegalArgumentException e) {
                // a privilege this Guest does not know yet
            }
        }
        return set;
    }

    private String pin(Address address, String fingerprint, boolean acceptNewKey, Connection c) throws Failure {
        KnownHosts known = new KnownHosts(home.resolve("etc/known-hosts"));
        try {
            var pinned = known.pinned(address.toString());
            if (pinned.isEmpty()) {
                known.pin(address.toString(), fingerprint);
                return "new Host, pinned in " + known.file();
            }
            if (pinned.get().equals(fingerprint)) {
                return "matches the pinned key";
            }
            if (!acceptNewKey) {
                throw new Failure("the identity key of " + address + " has CHANGED: pinned " + pinned.get()
                        + ", offered " + fingerprint + ". Someone may be intercepting the connection. If the Host "
                        + "was reinstalled, confirm the new fingerprint with its owner and run again with "
                        + "--accept-new-key.");
            }
            known.pin(address.toString(), fingerprint);
            return "NEW key accepted and pinned, replacing " + pinned.get();
        } catch (IOException e) {
            throw new Failure("cannot use " + known.file() + ": " + e.getMessage());
        }
    }

    private ControlMessage logOn(Connection c, Listener listener, String guestId, char[] password)
            throws Failure, InterruptedException {
        ControlMessage start = ControlMessage.of("auth.start").with("method", guestId == null ? "shared-password" : "guest-id");
        if (guestId != null) {
            start.with("id", guestId);
        }
        c.send(start);
        ControlMessage answer = next(listener, "the Host's logon challenge");
        if (answer.type().equals("auth.refused")) {
            throw new Failure("the Host refused the logon: " + answer.text("reason", "no reason given"));
        }
        try {
            if (!answer.type().equals("auth.challenge")) {
                throw new Failure("the Host answered the logon with " + answer.type());
            }
            Challenge challenge = new Challenge(answer.integer("m", 1, Integer.MAX_VALUE),
                    answer.integer("t", 1, Integer.MAX_VALUE), answer.integer("p", 1, Integer.MAX_VALUE),
                    answer.bytes("salt"), answer.bigInteger("B", 384));
            SrpClient client = new SrpClient(guestId == null ? "*" : guestId, password, random);
            ClientResponse response = client.respond(challenge, c.binding());
            c.send(ControlMessage.of("auth.proof").with("A", response.clientPublic()).with("proof", response.proof()));
            ControlMessage result = next(listener, "the Host's logon answer");
            if (result.type().equals("auth.failed")) {
                String left = result.text("left", null);
                throw new Failure("logon failed: " + result.text("reason", "wrong Guest ID or password")
                        + (left != null ? " (" + left + " attempt(s) left before the Host acts)" : ""));
            }
            if (!result.type().equals("auth.ok")) {
                throw new Failure("the Host answered the logon with " + result.type());
            }
            client.verifyServer(result.bytes("proof"));
            return result;
        } catch (ProtocolException e) {
            throw new Failure("the Host sent a malformed logon message: " + e.getMessage());
        } catch (AuthenticationFailed | IllegalArgumentException e) {
            throw new Failure("the Host could not prove it knows the password: " + e.getMessage());
        }
    }

    private ControlMessage next(Listener listener, String what) throws Failure, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
        while (System.nanoTime() < deadline) {
            ControlMessage m = listener.control.poll(100, TimeUnit.MILLISECONDS);
            if (m != null) {
                return m;
            }
            if (listener.closed.isDone()) {
                throw new Failure("the connection closed: " + listener.closed.join());
            }
        }
        throw new Failure("timed out waiting for " + what);
    }

    private void awaitSecured(Listener listener) throws Failure, InterruptedException {
        try {
            CompletableFuture.anyOf(listener.secured, listener.closed).get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new Failure("the key exchange with the Host did not complete");
        }
        if (!listener.secured.isDone()) {
            throw new Failure("the connection closed: " + listener.closed.join());
        }
    }

    private static <T> T await(CompletableFuture<T> f, String what) throws Failure, InterruptedException {
        try {
            return f.get(STEP_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new Failure(String.valueOf(e.getCause().getMessage()));
        } catch (TimeoutException e) {
            throw new Failure("timed out " + what);
        }
    }

    private static char[] password(String file, boolean stdin, InputStream in, String guestId, Address address)
            throws Failure {
        try {
            if (file != null) {
                return firstLine(Files.readAllBytes(Path.of(file)), "the password file " + file);
            }
            if (stdin) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                // Byte by byte: whatever follows the password line stays for the session (e.g. chat).
                for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                    if (line.size() > 1024) {
                        throw new Failure("the password on standard input is too long");
                    }
                    line.write(b);
                }
                return firstLine(line.toByteArray(), "standard input");
            }
            Console console = System.console();
            if (console == null) {
                throw new Failure("no terminal to ask for the password; use --password-file FILE or --password-stdin");
            }
            char[] p = console.readPassword("Password%s for %s: ", guestId == null ? "" : " of " + guestId, address);
            if (p == null || p.length == 0) {
                throw new Failure("no password given");
            }
            return p;
        } catch (IOException e) {
            throw new Failure("cannot read the password: " + e.getMessage());
        }
    }

    private static char[] firstLine(byte[] bytes, String where) throws Failure {
        String s = new String(bytes, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        String first = (nl < 0 ? s : s.substring(0, nl)).replace("\r", "");
        if (first.isEmpty()) {
            throw new Failure("no password in " + where);
        }
        return first.toCharArray();
    }

    private static String take(List<String> args, String option) throws Usage {
        int i = args.indexOf(option);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new Usage("tandem guest: " + option + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }

    private static String localName() {
        String user = System.getProperty("user.name", "guest");
        try {
            return user + "@" + InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return user;
        }
    }

    /** What the Guest's connection tells the command. */
    private static final class Listener implements Connection.Listener {
        final CompletableFuture<Void> secured = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final BlockingQueue<ControlMessage> control = new LinkedBlockingQueue<>();

        @Override
        public void secured(Connection connection) {
            secured.complete(null);
        }

        @Override
        public void control(Connection connection, ControlMessage message) {
            control.add(message);
        }

        @Override
        public void closed(Connection connection, String reason) {
            closed.complete(reason);
        }
    }

    /** What a Guest-side session sees. */
    private record GuestContext(Channel channel, String hostName, String guestName, Set<Privilege> privileges,
            List<String> arguments) implements SessionContext {
        @Override
        public Side side() {
            return Side.GUEST;
        }
    }
}
