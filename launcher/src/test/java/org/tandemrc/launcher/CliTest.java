package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command line is parsed and checked before any framework starts or any node is asked. */
class CliTest {

    @TempDir
    Path home;

    private record Run(int status, String out, String err) {
    }

    private Run tandem(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOptionIsNeverTakenAsTheValueOfAnother() throws Exception {
        // No node runs with this home: the answer must come from the command line alone.
        Run r = tandem("--home", home.toString(), "admin", "access", "password", "--password-file", "--role", "x");
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("--password-file") && !r.err().contains("no node is running"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMistypedGuestCommandIsAnsweredWithoutStartingTheGuest() throws Exception {
        // Without tandem.dist no framework could start: a status of 2 with a suggestion proves none was tried.
        Run r = tandem("--home", home.toString(), "guest", "conect", "x");
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().startsWith("tandem guest: unknown command 'conect'; try browse, connect,"), r.err());
        assertTrue(r.err().contains("Did you mean: guest connect"), "suggests the right verb: " + r.err());
        assertTrue(r.err().contains("Try 'tandem guest --help'."), r.err());
        assertEquals("", r.out());
    }

    @Test
    void helpGoesToStandardOutput() throws Exception {
        Run r = tandem("guest", "--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Usage: tandem guest"), r.out());
        assertTrue(r.out().contains("connect") && r.out().contains("--home"), r.out());
        assertEquals("", r.err());
        r = tandem("guest", "copy", "--help");
        assertTrue(r.out().contains("--overwrite=RULE"), r.out());
    }

    @Test
    void aWrongSupportCommandIsAnsweredWithoutStartingTheGuest() throws Exception {
        Run r = tandem("--home", home.toString(), "support", "status", "12345");
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().startsWith("tandem support status: a support code is 9 digits, not '12345'"), r.err());
        r = tandem("--home", home.toString(), "support", "new", "--code-minutes", "0");
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("minutes are 1..10080, not 0"), r.err());
        r = tandem("--home", home.toString(), "support");
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("say which: new, list, status, extend, renew, cancel, end"), r.err());
        r = tandem("support", "new", "--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("--supporter=NAME") && r.out().contains("--lifetime-minutes=N"), r.out());
    }

    @Test
    void helpListsTheExitStatusesOfTheSupportBundlesTable() throws Exception {
        for (String[] command : List.of(new String[] {"--help"}, new String[] {"guest", "--help"},
                new String[] {"guest", "connect", "--help"}, new String[] {"support", "new", "--help"})) {
            Run r = tandem(command);
            assertEquals(0, r.status(), r.err());
            String help = r.out().replaceAll("\\s+", " ");
            assertTrue(help.contains("Exit status:"), help);
            for (Map.Entry<Integer, String> row : org.tandemrc.support.command.ExitStatus.TABLE.entrySet()) {
                assertTrue(help.contains(row.getKey() + " " + row.getValue()), row + " in " + help);
            }
        }
    }

    @Test
    void wrongValuesAreUsageErrorsOnStandardError() throws Exception {
        Run r = tandem("--home", home.toString(), "host", "--listen", "6502");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("is not DEVICE:ADDRESS:PORT"), r.err());
        r = tandem("--home", home.toString(), "guest", "watch", "h", "--quality", "best");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("lossless"), r.err());
        r = tandem("--home", home.toString(), "guest", "watch", "h", "0");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("watch for 1 to 86400 seconds"), r.err());
        r = tandem("--home", home.toString(), "guest", "latency", "h", "many");
        assertEquals(2, r.status());
        r = tandem("--home", home.toString(), "guest", "screenshot", "h");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--out"), r.err());
        r = tandem("--home", home.toString(), "guest", "connect", "h", "--password-file", "f", "--password-stdin");
        assertEquals(2, r.status());
        r = tandem("--home", home.toString(), "guest", "browse", "--timeout", "0");
        assertEquals(2, r.status());
        r = tandem();
        assertEquals(2, r.status());
        assertTrue(r.err().contains("Usage: tandem"), r.err());
    }

    @Test
    void theFrameworkGetsTheRequestNormalised() {
        CommandLine cli = Cli.commandLine(System.out, System.err);
        ParseResult parsed = cli.parseArgs("guest", "--home", "/h", "copy", "--overwrite", "NEVER", "a",
                "127.0.0.1:/docs/b", "--password-stdin");
        assertEquals(List.of("copy", "a", "127.0.0.1:/docs/b", "--overwrite", "NEVER", "--password-stdin"),
                Cli.normalised(parsed.subcommand()));
        assertEquals("/h", ((Cli) cli.getCommand()).home);

        cli = Cli.commandLine(System.out, System.err);
        parsed = cli.parseArgs("admin", "gateway", "user", "add", "--allow", "10.0.0.*", "10.0.1.*", "--groups",
                "g", "bob", "--password-file", "pw");
        assertEquals(List.of("gateway", "user", "add", "bob", "--allow", "10.0.0.*", "10.0.1.*", "--groups", "g",
                "--password-file", "pw"), Cli.normalised(parsed.subcommand()));

        cli = Cli.commandLine(System.out, System.err);
        parsed = cli.parseArgs("admin", "security", "guests", "add", "--group", "ops", "admins", "--password-file", "pw",
                "bob");
        assertEquals(List.of("security", "guests", "add", "bob", "--group", "ops", "admins", "--password-file", "pw"),
                Cli.normalised(parsed.subcommand()));
        cli = Cli.commandLine(System.out, System.err);
        parsed = cli.parseArgs("admin", "security", "rules", "add", "--guest", "group:ops", "--host", "db-*", "--role",
                "Full access", "--position", "1");
        assertEquals(List.of("security", "rules", "add", "--guest", "group:ops", "--host", "db-*", "--role",
                "Full access", "--position", "1"), Cli.normalised(parsed.subcommand()));
        cli = Cli.commandLine(System.out, System.err);
        parsed = cli.parseArgs("admin", "security", "otp", "require", "bob", "on");
        assertEquals(List.of("security", "otp", "require", "bob", "on"), Cli.normalised(parsed.subcommand()));
    }

    @Test
    void auditCommandsGoToTheNodeWithTheExportsAbsolutePath() {
        CommandLine cli = Cli.commandLine(System.out, System.err);
        ParseResult parsed = cli.parseArgs("admin", "audit", "search", "--code", "TSECSS", "--limit", "5");
        assertEquals(List.of("audit", "search", "--code", "TSECSS", "--limit", "5"), Cli.normalised(parsed.subcommand()));
        cli = Cli.commandLine(System.out, System.err);
        parsed = cli.parseArgs("admin", "audit", "export", "--csv", "out.csv", "--user", "bob");
        AdminAudit.Export export = (AdminAudit.Export) parsed.subcommand().subcommand().subcommand().commandSpec()
                .userObject();
        assertEquals(List.of("audit", "export", "--csv", Path.of("out.csv").toAbsolutePath().toString(), "--user",
                "bob"), export.request());
    }

    @Test
    void aPluginsAdminCommandGoesToTheNodeAsItIs() {
        CommandLine cli = Cli.commandLine(System.out, System.err);
        ParseResult parsed = cli.parseArgs("admin", "backup", "--to", "/x", "now");
        assertEquals(List.of("backup", "--to", "/x", "now"), ((AdminCli) parsed.subcommand().commandSpec().userObject())
                .extension);
    }

    @Test
    void aPluginsAdminCommandMayUseTheWordsOfAdminVerbs() {
        String[] argv = {"admin", "security-client", "status", "--home", "/x"};
        ParseResult parsed = Cli.commandLine(System.out, System.err, argv).parseArgs(argv);
        assertEquals(List.of("security-client", "status"),
                ((AdminCli) parsed.subcommand().commandSpec().userObject()).extension);
        assertEquals("/x", ((Cli) parsed.commandSpec().userObject()).home, "--home stays the node's");
    }

    @Test
    void completionScripts() throws Exception {
        Run bash = tandem("completion", "bash");
        assertEquals(0, bash.status(), bash.err());
        assertTrue(bash.out().contains("complete -F") && bash.out().contains("guest"), bash.out());
        Run zsh = tandem("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit"), zsh.out());
        assertEquals(2, tandem("completion", "fish").status());
    }

    @Test
    void theConsoleListensBeyondLoopbackOnlyWithTls() throws Exception {
        // Each answer comes from the command line alone: no framework starts (no tandem.dist).
        Run plain = tandem("--home", home.toString(), "console", "--http", "0.0.0.0:6580");
        assertEquals(2, plain.status(), plain.out() + plain.err());
        assertTrue(plain.err().contains("without encryption") && plain.err().contains("--https 0.0.0.0:6580")
                && plain.err().contains("ssh -L"), plain.err());
        Run both = tandem("--home", home.toString(), "start", "--http", "6580", "--https", "6581");
        assertEquals(2, both.status(), both.out() + both.err());
        assertTrue(both.err().contains("--http and --https go apart"), both.err());
        Run keyAlone = tandem("--home", home.toString(), "console", "--tls-key", "k.pem");
        assertEquals(2, keyAlone.status(), keyAlone.out() + keyAlone.err());
        assertTrue(keyAlone.err().contains("go with --https"), keyAlone.err());
        Run half = tandem("--home", home.toString(), "console", "--https", "6581", "--tls-cert", "c.pem");
        assertEquals(2, half.status(), half.out() + half.err());
        assertTrue(half.err().contains("--tls-cert and --tls-key go together"), half.err());
    }
}
