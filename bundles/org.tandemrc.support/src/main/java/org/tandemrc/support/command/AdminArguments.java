package org.tandemrc.support.command;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The options of an admin command as a node receives them: the launcher sends positionals first, then
 * each option's name once followed by its values ({@code --group a b}). A missing value is wrong usage
 * ({@link IllegalArgumentException}, which {@link ExitStatus#of} answers as such).
 */
public final class AdminArguments {

    private AdminArguments() {
    }

    /** The value after {@code name}, or null when the option is absent. */
    public static @Nullable String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args.get(i + 1);
    }

    /** Every value after {@code name} up to the next option; empty when the option is absent. */
    public static List<String> values(List<String> args, String name) {
        List<String> out = new ArrayList<>();
        for (int i = args.indexOf(name) + 1; i > 0 && i < args.size() && !args.get(i).startsWith("--"); i++) {
            out.add(args.get(i));
        }
        return out;
    }
}
