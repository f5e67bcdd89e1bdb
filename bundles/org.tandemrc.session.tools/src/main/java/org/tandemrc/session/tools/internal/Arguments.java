package org.tandemrc.session.tools.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.ToolException;

/**
 * Checks a Guest's arguments against an operation's parameters before the tool sees them, so a tool
 * can trust what it is given: no unknown names, every required parameter present and not blank,
 * {@link FieldType#INTEGER} and {@link FieldType#BYTES} whole numbers (bytes not negative),
 * {@link FieldType#BOOLEAN} {@code true} or {@code false}, {@link FieldType#CHOICE} one of the choices,
 * {@link FieldType#TIMESTAMP} an ISO-8601 instant. An empty optional value counts as not given.
 */
final class Arguments {

    private Arguments() {
    }

    /**
     * The arguments as the tool gets them: in parameter order, empty optional values left out, booleans
     * lower-case, numbers without surrounding blanks.
     *
     * @throws ToolException with a sentence naming the parameter and what is wrong with it
     */
    static Map<String, String> validate(String toolTitle, Operation operation, Map<String, String> given)
            throws ToolException {
        Map<String, Field> byName = operation.parameters().stream()
                .collect(Collectors.toMap(Field::name, f -> f, (a, b) -> a, LinkedHashMap::new));
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new ToolException(byName.isEmpty()
                        ? "'" + operation.title() + "' of " + toolTitle + " takes no arguments, and '" + name
                                + "' was given"
                        : "'" + operation.title() + "' of " + toolTitle + " has no parameter '" + name
                                + "'; it takes " + String.join(", ", byName.keySet()));
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Field f : byName.values()) {
            String value = given.get(f.name());
            boolean text = f.type() == FieldType.TEXT || f.type() == FieldType.SECRET;
            if (value == null || value.isEmpty() || !text && value.isBlank()) {
                if (f.required()) {
                    throw new ToolException("'" + f.label() + "' (" + f.name() + ") is required");
                }
                continue;
            }
            out.put(f.name(), check(f, value));
        }
        return out;
    }

    private static String check(Field f, String value) throws ToolException {
        String what = "'" + f.label() + "' (" + f.name() + ")";
        String t = value.strip();
        switch (f.type()) {
            case INTEGER -> {
                try {
                    return Long.toString(Long.parseLong(t));
                } catch (NumberFormatException e) {
                    throw new ToolException(what + " must be a whole number, not '" + shorten(value) + "'");
                }
            }
            case BYTES -> {
                try {
                    long n = Long.parseLong(t);
                    if (n < 0) {
                        throw new NumberFormatException();
                    }
                    return Long.toString(n);
                } catch (NumberFormatException e) {
                    throw new ToolException(what + " must be a number of bytes (0 or more), not '" + shorten(value)
                            + "'");
                }
            }
            case BOOLEAN -> {
                String b = t.toLowerCase(Locale.ROOT);
                if (!b.equals("true") && !b.equals("false")) {
                    throw new ToolException(what + " must be true or false, not '" + shorten(value) + "'");
                }
                return b;
            }
            case CHOICE -> {
                if (!f.choices().contains(value)) {
                    throw new ToolException(what + " must be one of " + String.join(", ", f.choices()) + ", not '"
                            + shorten(value) + "'");
                }
                return value;
            }
            case TIMESTAMP -> {
                try {
                    return Instant.parse(t).toString();
                } catch (DateTimeParseException e) {
                    throw new ToolException(what + " must be a time like 2024-05-01T12:00:00Z, not '"
                            + shorten(value) + "'");
                }
            }
            default -> {
                return value;
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** The arguments as the audit log shows them: secret values hidden. */
    static String describe(Operation operation, Map<String, String> arguments) {
        Map<String, FieldType> types = operation.parameters().stream()
                .collect(Collectors.toMap(Field::name, Field::type, (a, b) -> a));
        return arguments.entrySet().stream()
                .map(e -> e.getKey() + "=" + (types.get(e.getKey()) == FieldType.SECRET ? "***" : e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
