package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The completion scripts {@code tandem completion bash|zsh} prints, loaded by the real shells (bash,
 * and zsh through its bashcompinit, as the script itself sets up) and asked what follows a partial
 * command line, the way the shell asks them when Tab is pressed.
 */
class CompletionShellTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh"})
    void theShellCompletesVerbsAndOptions(String shell) throws Exception {
        Path script = dir.resolve("tandem." + shell);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(0, Main.run(new String[] {"completion", shell}, o, e));
        }
        Files.write(script, out.toByteArray());

        // zsh calls bash-style completion functions with KSH_ARRAYS set (bashcompinit's _bash_complete).
        String arrays = shell.equals("zsh") ? "setopt ksharrays; " : "";
        String verbs = complete(shell, script, arrays, "tandem guest scr", "(tandem guest scr)", 2);
        assertTrue(List.of(verbs.split(" ")).contains("screenshot"), verbs);
        assertFalse(List.of(verbs.split(" ")).contains("gateway"), "only the guest's verbs: " + verbs);
        String options = complete(shell, script, arrays, "tandem guest screenshot 127.0.0.1 --o",
                "(tandem guest screenshot 127.0.0.1 --o)", 4);
        assertTrue(List.of(options.split(" ")).contains("--out"), options);
    }

    private static String complete(String shell, Path script, String arrays, String line, String words, int cword)
            throws Exception {
        String program = "source '" + script + "'; " + arrays + "COMP_WORDS=" + words + "; COMP_CWORD=" + cword
                + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length()
                + "; _complete_tandem tandem x y 2>/dev/null; echo \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder(shell, "-c", program).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), shell + " did not finish");
        assertEquals(0, p.exitValue(), output);
        return output;
    }
}
