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
