package org.tandemrc.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code tandem} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // Before anything touches java.util.logging: keep the log open until the node has stopped.
        System.setProperty("java.util.logging.manager", NodeLog.Manager.class.getName());
        int status;
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            status = run(args, out, err);
        } catch (UsageException e) {
            err.println(e.getMessage());
            err.println("Try 'tandem --help'.");
            status = 2;
        } catch (Exception e) {
            err.println("tandem: " + e.getMessage());
            status = 1;
        }
        out.flush();
        System.exit(status);
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        List<String> args = new ArrayList<>();
        String home = null;
        boolean help = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--home")) {
                if (i + 1 >= argv.length || argv[i + 1].isBlank()) {
                    throw new UsageException("tandem: --home needs a folder");
                }
                home = argv[++i];
            } else if (a.startsWith("--home=")) {
                home = a.substring("--home=".length());
            } else if (a.equals("-h") || a.equals("--help")) {
                help = true;
            } else {
                args.add(a);
            }
        }
        String command = args.isEmpty() ? null : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        if (command == null) {
            out.print(Help.MAIN);
            return help ? 0 : 2;
        }
        switch (command) {
            case "help" -> {
                out.print(Help.MAIN);
                return 0;
            }
            case "--version", "version" -> {
                if (help) {
                    out.print(Help.VERSION);
                    return 0;
                }
                out.println("tandem " + version());
                return 0;
            }
            case "host" -> {
                if (help) {
                    out.print(Help.HOST);
                    return 0;
                }
                Map<String, String> options = hostOptions(rest);
                Node node = new Node(NodeHome.resolve(home), dist(), "host", Duration.ofSeconds(
                        Long.getLong("tandem.start.timeout", 20)), options);
                return node.run(out, System.in);
            }
            case "gateway" -> {
                if (help) {
                    out.print(Help.GATEWAY);
                    return 0;
                }
                Map<String, String> options = gatewayOptions(rest);
                Node node = new Node(NodeHome.resolve(home), dist(), "gateway", Duration.ofSeconds(
                        Long.getLong("tandem.start.timeout", 20)), options);
                return node.run(out, System.in);
            }
            case "console" -> {
                if (help) {
                    out.print(Help.CONSOLE);
                    return 0;
                }
                Map<String, String> options = consoleOptions(rest, false);
                Node node = new Node(NodeHome.resolve(home), dist(), WEB_CONSOLE, Duration.ofSeconds(
                        Long.getLong("tandem.start.timeout", 20)), options);
                return node.run(out, System.in);
            }
            case "start" -> {
                if (help) {
                    out.print(Help.START);
                    return 0;
                }
                NodeHome h = NodeHome.resolve(home);
                Map<String, String> options = consoleOptions(rest, true);
                options.putIfAbsent("tandem.host.listen", "tcp:127.0.0.1:6502");
                Path password = localHostPassword(h);
                options.put("tandem.host.password.file", password.toString());
                options.put("tandem.console.local.address", options.get("tandem.host.listen"));
                options.put("tandem.console.local.password.file", password.toString());
                Node node = new Node(h, dist(), WEB_CONSOLE, List.of("host"), Duration.ofSeconds(
                        Long.getLong("tandem.start.timeout", 20)), options);
                return node.run(out, System.in);
            }
            case "webconnect" -> {
                if (help || rest.isEmpty() || !(rest.get(0).equals("manager") || rest.get(0).equals("relay"))) {
                    out.print(Help.WEBCONNECT);
                    return help ? 0 : 2;
                }
                boolean manager = rest.get(0).equals("manager");
                Map<String, String> options = new HashMap<>();
                boolean withRelay = manager;
                boolean tunnel = false;
                List<String> opts = rest.subList(1, rest.size());
                for (int i = 0; i < opts.size(); i++) {
                    String a = opts.get(i);
                    if (a.equals("--listen") && i + 1 < opts.size()) {
                        options.put(manager ? "tandem.webconnect.manager.listen" : "tandem.webconnect.relay.listen",
                                opts.get(++i));
                    } else if (a.equals("--relay-listen") && manager && i + 1 < opts.size()) {
                        options.put("tandem.webconnect.relay.listen", opts.get(++i));
                    } else if (a.equals("--http-listen") && i + 1 < opts.size()) {
                        options.put(manager ? "tandem.webconnect.manager.http.listen" : "tandem.webconnect.relay.http.listen",
                                opts.get(++i));
                        tunnel = true;
                    } else if (a.equals("--relay-http-listen") && manager && i + 1 < opts.size()) {
                        options.put("tandem.webconnect.relay.http.listen", opts.get(++i));
                        tunnel = true;
                    } else if (a.equals("--no-relay") && manager) {
                        withRelay = false;
                    } else {
                        throw new UsageException("tandem webconnect " + rest.get(0) + ": unexpected '" + a + "'");
                    }
                }
                Node node = new Node(NodeHome.resolve(home), dist(), manager ? "webconnect-manager" : "webconnect-relay",
                        webconnectExtras(withRelay, tunnel),
                        Duration.ofSeconds(Long.getLong("tandem.start.timeout", 20)), options);
                return node.run(out, System.in);
            }
            case "guest" -> {
                if (help || rest.isEmpty()) {
                    out.print(Help.GUEST);
                    return help ? 0 : 2;
                }
                return GuestRunner.run(NodeHome.resolve(home), dist(), rest, System.in, out, err);
            }
            case "admin" -> {
                if (help || rest.isEmpty()) {
                    out.print(Help.ADMIN);
                    return help ? 0 : 2;
                }
                NodeHome h = NodeHome.resolve(home);
                if (!AdminChannel.isServed(h.adminSocket())) {
                    err.println("tandem: no node is running with home " + h
                            + " (start one with 'tandem host --home " + h + "')");
                    return 1;
                }
                return AdminChannel.call(h.adminSocket(), rest, out, err);
            }
            default -> throw new UsageException("tandem: unknown command '" + command + "'");
        }
    }

    /** Features a {@code tandem webconnect} node installs besides its role: its relay, the http device for the tunnel. */
    static List<String> webconnectExtras(boolean relay, boolean httpTunnel) {
        List<String> extra = new java.util.ArrayList<>();
        if (relay) {
            extra.add("webconnect-relay");
        }
        if (httpTunnel) {
            extra.add("comm-http");
        }
        return extra;
    }

    /** The role (and feature) of a node that serves the browser console. */
    static final String WEB_CONSOLE = "web-console";

    /**
     * {@code --http [ADDRESS:]PORT} (default 127.0.0.1:6580) as the HTTP service's framework
     * properties, and with {@code allInOne} also the Host's {@code --listen}.
     */
    static Map<String, String> consoleOptions(List<String> args, boolean allInOne) throws UsageException {
        String command = allInOne ? "tandem start" : "tandem console";
        Map<String, String> options = new HashMap<>();
        String host = "127.0.0.1";
        String port = "6580";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--http")) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(command + ": --http needs [ADDRESS:]PORT, e.g. 127.0.0.1:6580");
                }
                String v = args.get(++i);
                int colon = v.lastIndexOf(':');
                port = colon < 0 ? v : v.substring(colon + 1);
                if (colon > 0) {
                    host = v.substring(0, colon).replace("[", "").replace("]", "");
                }
                if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535 || host.isBlank()) {
                    throw new UsageException(command + ": --http " + v + " is not [ADDRESS:]PORT, e.g. 127.0.0.1:6580");
                }
            } else if (allInOne && a.equals("--listen")) {
                if (i + 1 >= args.size() || !args.get(i + 1).matches("[a-z][a-z0-9-]*:.+")) {
                    throw new UsageException(command + ": --listen needs DEVICE:ADDRESS:PORT, e.g. tcp:127.0.0.1:6502");
                }
                options.put("tandem.host.listen", args.get(++i));
            } else {
                throw new UsageException(command + ": unexpected '" + a + "'");
            }
        }
        options.put("org.apache.felix.http.host", host);
        options.put("org.osgi.service.http.port", port);
        options.put("org.apache.felix.http.enable", "true");
        options.put("org.apache.felix.jetty.websocket.enable", "true");
        options.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        return options;
    }

    /**
     * The password of the all-in-one node's own Host, made once at random and kept owner-only in
     * {@code data/console/local-host-password}: the console logs on to "This computer" with it.
     */
    static Path localHostPassword(NodeHome home) throws IOException {
        Path file = home.data().resolve("console").resolve("local-host-password");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        byte[] b = new byte[18];
        new java.security.SecureRandom().nextBytes(b);
        Path tmp = file.resolveSibling("local-host-password.tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** {@code --password-file FILE} and {@code --listen DEVICE:ADDR:PORT}, as framework properties. */
    static Map<String, String> hostOptions(List<String> args) throws UsageException, IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--password-file" -> {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("tandem host: --password-file needs a file");
                    }
                    Path file = Path.of(args.get(++i)).toAbsolutePath().normalize();
                    if (!Files.isReadable(file)) {
                        throw new IOException("cannot read the password file " + file);
                    }
                    options.put("tandem.host.password.file", file.toString());
                }
                case "--listen" -> {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("tandem host: --listen needs DEVICE:ADDRESS:PORT, e.g. tcp:127.0.0.1:6502");
                    }
                    String listen = args.get(++i);
                    if (!listen.matches("[a-z][a-z0-9-]*:.+")) {
                        throw new UsageException("tandem host: --listen " + listen
                                + " is not DEVICE:ADDRESS:PORT, e.g. tcp:127.0.0.1:6502");
                    }
                    options.put("tandem.host.listen", listen);
                }
                default -> throw new UsageException("tandem host: unexpected '" + a + "'");
            }
        }
        return options;
    }

    /** {@code --listen DEVICE:ADDR:PORT} of a Gateway, as a framework property. */
    static Map<String, String> gatewayOptions(List<String> args) throws UsageException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.equals("--listen")) {
                throw new UsageException("tandem gateway: unexpected '" + a + "'");
            }
            if (i + 1 >= args.size()) {
                throw new UsageException("tandem gateway: --listen needs DEVICE:ADDRESS:PORT, e.g. tcp:0.0.0.0:6502");
            }
            String listen = args.get(++i);
            if (!listen.matches("[a-z][a-z0-9-]*:.+")) {
                throw new UsageException("tandem gateway: --listen " + listen
                        + " is not DEVICE:ADDRESS:PORT, e.g. tcp:0.0.0.0:6502");
            }
            options.put("tandem.gateway.listen", listen);
        }
        return options;
    }

    /** The distribution folder, from -Dtandem.dist set by bin/tandem. */
    static Path dist() throws IOException {
        String d = System.getProperty("tandem.dist");
        if (d == null) {
            throw new IOException("the tandem.dist property is not set; start Tandem with bin/tandem");
        }
        Path dist = Path.of(d).toAbsolutePath().normalize();
        if (!Files.isDirectory(dist.resolve("system")) || !Files.isDirectory(dist.resolve("features"))) {
            throw new IOException(dist + " is not a Tandem distribution (system/ or features/ is missing)");
        }
        return dist;
    }

    static String version() {
        try {
            return Files.readString(dist().resolve("VERSION")).trim();
        } catch (IOException e) {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "unknown" : v;
        }
    }
}
