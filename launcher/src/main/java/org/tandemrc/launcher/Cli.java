package org.tandemrc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code tandem} command model: every verb, its options and their checks, so that a wrong
 * command line is answered before any framework starts. Commands that run in a framework (the
 * Guest) or in a running node ({@code admin}) receive the parsed request as a normalised argument
 * list ({@link #normalised}).
 */
@Command(name = "tandem", usageHelpAutoWidth = false, versionProvider = Cli.Version.class,
        description = "Tandem: open, modular remote control and remote support on OSGi.")
final class Cli implements java.util.concurrent.Callable<Integer> {

    /** The commands, in the order help lists them. */
    static final List<Class<?>> VERBS = List.of(NodeCommands.Start.class, NodeCommands.Console.class,
            NodeCommands.Host.class, NodeCommands.Gateway.class, GuestCli.class, SupportCli.class, AdminCli.class,
            NodeCommands.WebConnect.class, NodeCommands.SecurityServer.class, Version.class, Completion.class, Help.class);

    /** Exit status of a wrong command line. */
    static final int USAGE = 2;

    final PrintStream out;
    final PrintStream err;

    @Spec
    CommandSpec spec;

    @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = {"the node's home folder: configuration (etc/), plugins (deploy/), data and log (data/),"
                    + " admin socket (run/). Default: $TANDEM_HOME, else ~/.tandem. Give each node on a machine"
                    + " its own home."})
    String home;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "describe a command, e.g. 'tandem admin --help'")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "print the version")
    boolean version;

    Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return USAGE;
    }

    /** The whole command line (for completion), writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return commandLine(out, err, null);
    }

    /**
     * The command line for {@code argv}, writing to {@code out} and {@code err}, with the house's
     * error style. Only the commands {@code argv} names get their full model; the others are
     * listed by name and description: building every model by reflection costs more than the
     * rest of a typo's answer.
     */
    static CommandLine commandLine(PrintStream out, PrintStream err, String[] argv) {
        CommandLine cli = new CommandLine(new Cli(out, err));
        List<String> words = argv == null ? null : words(argv);
        attach(cli, VERBS, words, 0);
        // An argument such as @notes.txt is text to send, never a file of arguments to read.
        cli.setExpandAtFiles(false);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true, Charset.defaultCharset()));
        cli.setErr(new PrintWriter(err, true, Charset.defaultCharset()));
        exitStatuses(cli);
        exitStatuses(cli.getSubcommands().get("guest"));
        exitStatuses(cli.getSubcommands().get("support"));
        CommandLine admin = cli.getSubcommands().get("admin");
        if (admin.getCommand() instanceof AdminCli) {
            AdminCli.acceptExtensions(admin);
        }
        cli.setParameterExceptionHandler(Cli::wrongUsage);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof UsageException) {
                line.getErr().println(e.getMessage());
                line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help'.");
                return USAGE;
            }
            line.getErr().println("tandem: " + e.getMessage());
            return 1;
        });
        return cli;
    }

    /**
     * Lists the exit statuses in {@code line}'s help and its subcommands'. The table is the support
     * bundle's {@code ExitStatus} table, copied into the launcher at build time: the Guest command
     * that answers most of them runs in the framework, whose bundles the launcher cannot load.
     */
    private static void exitStatuses(CommandLine line) {
        Map<String, String> table = new LinkedHashMap<>();
        try (InputStream in = Cli.class.getResourceAsStream("/org/tandemrc/support/command/exit-statuses.txt")) {
            if (in == null) {
                throw new IllegalStateException("exit-statuses.txt is missing from the launcher (see its pom)");
            }
            for (String row : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int space = row.indexOf(' ');
                if (space > 0) {
                    table.put(row.substring(0, space), row.substring(space + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        apply(line, table);
    }

    private static void apply(CommandLine line, Map<String, String> table) {
        line.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(table);
        line.getSubcommands().values().forEach(c -> apply(c, table));
    }

    /** The words of {@code argv} that may name commands: not options, not the value of --home. */
    private static List<String> words(String[] argv) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < argv.length && words.size() < 2; i++) {
            if (argv[i].equals("--home")) {
                i++;
            } else if (argv[i].equals("--")) {
                break;
            } else if (!argv[i].startsWith("-")) {
                words.add(argv[i]);
            }
        }
        return words;
    }

    /**
     * Adds {@code verbs} to {@code parent}: in full the one {@code words} names at {@code depth}
     * (every one when {@code words} is null, or names help or completion, which show them all), the
     * others as their name and description only.
     */
    private static void attach(CommandLine parent, List<Class<?>> verbs, List<String> words, int depth) {
        boolean all = words == null || !words.isEmpty() && List.of("help", "completion").contains(words.get(0));
        if (!all && parent.getCommand() instanceof AdminCli && depth < words.size() && verbs.stream()
                .noneMatch(v -> v.getAnnotation(Command.class).name().equals(words.get(depth)))) {
            // A plugin's admin command: its words are its own, even one that names an admin verb ('status').
            return;
        }
        for (Class<?> verb : verbs) {
            Command about = verb.getAnnotation(Command.class);
            if (all || depth < words.size() && words.get(depth).equals(about.name())) {
                CommandLine full = new CommandLine(verb);
                List<Class<?>> nested = nested(verb);
                if (nested != null) {
                    attach(full, nested, all ? null : words, depth + 1);
                }
                parent.addSubcommand(about.name(), full);
            } else {
                CommandSpec named = CommandSpec.create().name(about.name());
                named.usageMessage().description(about.description());
                parent.addSubcommand(about.name(), named);
            }
        }
    }

    /** The commands a group declares in a {@code VERBS} field, or null. */
    @SuppressWarnings("unchecked")
    private static List<Class<?>> nested(Class<?> group) {
        try {
            return (List<Class<?>>) group.getDeclaredField("VERBS").get(null);
        } catch (NoSuchFieldException e) {
            return null;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int wrongUsage(ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        PrintWriter err = line.getErr();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            message = line.getSubcommands().isEmpty() ? "unexpected '" + u.getUnmatched().get(0) + "'"
                    : "unknown command '" + u.getUnmatched().get(0) + "'; try "
                            + String.join(", ", line.getSubcommands().keySet());
        } else if (e instanceof MissingParameterException m && message.startsWith("Missing required parameter for option")
                && m.getMissing().size() == 1 && m.getMissing().get(0) instanceof OptionSpec o) {
            message = o.longestName() + " needs " + o.paramLabel();
        }
        err.println(line.getCommandSpec().qualifiedName() + ": " + message);
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help'.");
        return USAGE;
    }

    /** The {@link Cli} of a command's tree. */
    static Cli root(CommandSpec spec) {
        return (Cli) spec.root().userObject();
    }

    /**
     * The request below {@code group} as the argument list the executing side reads: each
     * subcommand's name, then its positional parameters in order, then its options (a flag once,
     * an option with its values), without the options every command shares. Positionals come
     * first because the executing side reads them by index.
     */
    static List<String> normalised(ParseResult group) {
        List<String> args = new ArrayList<>();
        for (ParseResult p = group.subcommand(); p != null; p = p.subcommand()) {
            args.add(p.commandSpec().name());
            for (PositionalParamSpec param : p.matchedPositionals()) {
                args.addAll(param.originalStringValues());
            }
            for (OptionSpec option : p.matchedOptions()) {
                if (option.inherited() || option.usageHelp() || option.scopeType() == ScopeType.INHERIT) {
                    continue;
                }
                args.add(option.longestName());
                if (option.arity().max() > 0) {
                    args.addAll(option.originalStringValues());
                }
            }
        }
        return args;
    }

    /** Throws the house's usage error for {@code spec}'s command. */
    static ParameterException wrong(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** A command that only groups others: without one of them it is wrong usage. */
    abstract static class Group implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw wrong(spec, "say which: " + String.join(", ", spec.subcommands().keySet()));
        }
    }

    @Command(name = "help", description = "describe tandem, or a command: 'tandem help guest'")
    static final class Help implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "COMMAND", arity = "0..1")
        String command;

        @Override
        public Integer call() {
            CommandLine top = spec.root().commandLine();
            CommandLine which = command == null ? top : top.getSubcommands().get(command);
            if (which == null) {
                throw wrong(spec, "unknown command '" + command + "'");
            }
            which.usage(root(spec).out);
            return 0;
        }
    }

    /** {@code tandem version}, and what {@code tandem --version} prints. */
    @Command(name = "version", description = "print the version")
    static final class Version implements java.util.concurrent.Callable<Integer>, CommandLine.IVersionProvider {
        @Spec
        CommandSpec spec;

        @Override
        public String[] getVersion() {
            return new String[] {"tandem " + Main.version()};
        }

        @Override
        public Integer call() {
            spec.root().commandLine().printVersionHelp(root(spec).out);
            return 0;
        }
    }

    @Command(name = "completion", description = {"print the completion script for bash or zsh", "",
        "Completes commands and options. Add to ~/.bashrc (or ~/.zshrc):",
        "  source <(tandem completion bash)       (or zsh)", ""})
    static final class Completion implements java.util.concurrent.Callable<Integer> {
        enum Shell { bash, zsh }

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "SHELL", description = "bash or zsh")
        Shell shell;

        @Override
        public Integer call() {
            String script = AutoComplete.bash("tandem", spec.root().commandLine());
            PrintStream out = root(spec).out;
            if (shell == Shell.zsh) {
                // picocli's script is bash's; zsh runs it through its bash-completion emulation.
                out.println("autoload -U +X compinit && compinit");
                out.println("autoload -U +X bashcompinit && bashcompinit");
            }
            out.print(script);
            return 0;
        }
    }
}
