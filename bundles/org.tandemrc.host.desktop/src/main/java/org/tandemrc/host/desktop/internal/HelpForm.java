package org.tandemrc.host.desktop.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.tandemrc.api.node.Command;

/**
 * Asking for help from the desktop goes through the Host's own {@code tandem admin help} command, so the
 * form sends exactly what {@code tandem admin help request} sends, with the same checks and defaults
 * ({@code etc/org.tandemrc.host.help.cfg} for what the person leaves blank). Blocks: never on the event
 * dispatch thread.
 */
final class HelpForm {

    /** What {@code tandem admin help} printed: its exit status and its output and errors, in order. */
    record Answer(int status, String text) {
        boolean ok() {
            return status == 0;
        }
    }

    private HelpForm() {
    }

    /** The arguments of {@code tandem admin help request}; a blank field leaves its option to the defaults. */
    static List<String> request(String provider, String address, String problem) {
        List<String> args = new ArrayList<>(List.of("request"));
        option(args, "--provider", provider);
        option(args, "--to", address);
        option(args, "--problem", problem);
        return args;
    }

    private static void option(List<String> args, String name, String value) {
        if (!value.isBlank()) {
            args.add(name);
            args.add(value.strip());
        }
    }

    static Answer run(Command help, List<String> args) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8)) {
            status = help.run(args, new ByteArrayInputStream(new byte[0]), out, out);
        } catch (RuntimeException e) {
            return new Answer(1, String.valueOf(e.getMessage()));
        }
        return new Answer(status, said.toString(StandardCharsets.UTF_8).strip());
    }
}
