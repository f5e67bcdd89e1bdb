package org.tandemrc.guest.cli.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.ToolInfo;
import org.tandemrc.api.tool.client.ToolSession;
import org.tandemrc.support.text.PeerText;

/**
 * {@code tandem guest tools ADDRESS} and {@code tandem guest tool ADDRESS TOOL OPERATION [NAME=VALUE ...]}:
 * the Host's remote-management tools on the command line. A table prints as aligned columns, a form
 * as {@code label: value} lines, a message as its text.
 */
final class ToolActions {

    private final ToolSession session;
    private final PrintStream out;

    /** Prints results without a session (a stream's). */
    ToolActions(PrintStream out) {
        this(null, out);
    }

    ToolActions(ToolSession session, PrintStream out) {
        this.session = session;
        this.out = out;
    }

    /** {@code NAME=VALUE} words as arguments; null names the first word that is not one. */
    static Map<String, String> arguments(List<String> words) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0 || args.put(w.substring(0, eq), w.substring(eq + 1)) != null) {
                throw new IllegalArgumentException(w);
            }
        }
        return args;
    }

    /** Lists the sections, tools, operations and their parameters. */
    int list() throws ToolException, InterruptedException {
        List<ToolInfo> tools = session.tools();
        if (tools.isEmpty()) {
            print("The Host offers no tools to your role.");
            return 0;
        }
        String section = null;
        for (ToolInfo t : tools) {
            if (!t.section().equals(section)) {
                section = t.section();
                print(section.isEmpty() ? "(no section)" : section);
            }
            print("  " + t.title() + " (" + t.id() + ")");
            int width = t.operations().stream().mapToInt(o -> o.id().length()).max().orElse(0);
            for (Operation o : t.operations()) {
                print("    " + pad(o.id(), width) + "  " + o.title() + (o.changesHost() ? " (changes the Host)" : ""));
                int names = o.parameters().stream().mapToInt(p -> p.name().length()).max().orElse(0);
                for (Field p : o.parameters()) {
                    print("    " + pad("", width) + "    " + pad(p.name() + "=", names + 1) + "  " + p.label()
                            + ", " + describe(p));
                }
            }
        }
        return 0;
    }

    private static String describe(Field p) {
        String type = switch (p.type()) {
            case CHOICE -> "one of " + String.join(", ", p.choices());
            case INTEGER -> "a whole number";
            case BYTES -> "a number of bytes";
            case BOOLEAN -> "true or false";
            case TIMESTAMP -> "a time, e.g. 2024-05-01T12:00:00Z";
            case SECRET -> "secret text";
            case TEXT -> "text";
        };
        return type + (p.required() ? ", required" : "");
    }

    /** The operation when it streams (it is opened, not run), or null. */
    Operation streaming(String tool, String operation) throws ToolException, InterruptedException {
        for (ToolInfo t : session.tools()) {
            if (t.id().equals(tool)) {
                return t.operations().stream().filter(o -> o.id().equals(operation) && o.streams()).findFirst()
                        .orElse(null);
            }
        }
        return null;
    }

    /** Runs one operation and prints its result. */
    int run(String tool, String operation, Map<String, String> arguments) throws ToolException, InterruptedException {
        show(session.invoke(tool, operation, arguments));
        return 0;
    }

    /** Prints a result: a table as aligned columns, a form as label: value lines, a message as its text. */
    void show(Result result) {
        if (result instanceof Result.Table t) {
            table(t);
        } else if (result instanceof Result.Form f) {
            for (Field field : f.fields()) {
                String v = f.values().get(field.name());
                if (v != null) {
                    print(field.label() + ": " + value(field, v));
                }
            }
        } else if (result instanceof Result.Message m) {
            print(m.text());
        }
    }

    private void table(Result.Table t) {
        int n = t.columns().size();
        List<List<String>> lines = new ArrayList<>();
        lines.add(t.columns().stream().map(Field::label).toList());
        for (List<String> row : t.rows()) {
            List<String> cells = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                cells.add(value(t.columns().get(i), row.get(i)));
            }
            lines.add(cells);
        }
        int[] width = new int[n];
        for (List<String> line : lines) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                boolean right = t.columns().get(i).type() == FieldType.INTEGER
                        || t.columns().get(i).type() == FieldType.BYTES;
                String cell = line.get(i);
                if (i > 0) {
                    sb.append("  ");
                }
                if (right) {
                    sb.append(" ".repeat(width[i] - cell.length())).append(cell);
                } else {
                    sb.append(i == n - 1 ? cell : pad(cell, width[i]));
                }
            }
            print(sb.toString().stripTrailing());
        }
        print(t.rows().size() + " row(s)");
    }

    private static String value(Field f, String v) {
        if (f.type() == FieldType.SECRET) {
            return "********";
        }
        if (f.type() == FieldType.BYTES) {
            try {
                return FileActions.size(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return v;
            }
        }
        return v;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Every text of a tool's description and result comes from the Host: escaped before it is shown. */
    private void print(String line) {
        out.println(PeerText.escape(line));
    }
}
