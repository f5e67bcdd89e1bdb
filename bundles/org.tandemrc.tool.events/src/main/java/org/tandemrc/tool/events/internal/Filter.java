package org.tandemrc.tool.events.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.tandemrc.api.tool.ToolException;

/**
 * What a Guest asked to see, checked: a unit or program name (letters, digits and {@code _ . @ : + -}, never
 * an option), a priority name (that one and the more urgent), since when, and how many lines.
 */
record Filter(@Nullable String unit, @Nullable String program, int priority, @Nullable Instant since, int lines) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@:+-]{0,127}");
    static final Pattern AGO = Pattern.compile("(\\d{1,6})([smhd])");
    static final int DEFAULT_LINES = 200;
    static final int MAX_LINES = 5000;

    static Filter of(Map<String, String> arguments, ZoneId zone, Instant now) throws ToolException {
        String unit = name(arguments.get("unit"), "unit");
        String program = name(arguments.get("program"), "program");
        String p = blankToNull(arguments.get("priority"));
        int priority = p == null ? -1 : Arrays.asList(LogLine.PRIORITIES).indexOf(p);
        if (p != null && priority < 0) {
            throw new ToolException("priority is one of " + String.join(", ", LogLine.PRIORITIES));
        }
        String l = blankToNull(arguments.get("lines"));
        int lines = DEFAULT_LINES;
        if (l != null) {
            try {
                lines = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                lines = -1;
            }
            if (lines < 1 || lines > MAX_LINES) {
                throw new ToolException("lines is a number from 1 to " + MAX_LINES);
            }
        }
        return new Filter(unit, program, priority, since(blankToNull(arguments.get("since")), zone, now), lines);
    }

    private static @Nullable String name(@Nullable String value, String what) throws ToolException {
        String v = blankToNull(value);
        if (v != null && !NAME.matcher(v).matches()) {
            // Not echoed: it may carry anything, control characters included.
            throw new ToolException("that " + what + " is not a name (letters, digits and _ . @ : + -, at most 128,"
                    + " not starting with a dot or dash)");
        }
        return v;
    }

    /** ISO-8601 with or without offset (the Host's zone then), a date (its midnight), or "30m", "2h", "7d" ago. */
    static @Nullable Instant since(@Nullable String s, ZoneId zone, Instant now) throws ToolException {
        if (s == null) {
            return null;
        }
        Matcher ago = AGO.matcher(s);
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration d = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(zone).toInstant();
            }
            if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(s).toInstant();
            }
            return LocalDateTime.parse(s).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new ToolException("since is a time (2026-12-05T14:00, with an offset or in the Host's zone), a date,"
                    + " or how long ago (30m, 2h, 7d)");
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Whether a line of a syslog file passes (the journal filters itself). */
    boolean accepts(LogLine l) {
        if (program != null && !program.equals(l.program())) {
            return false;
        }
        // A line that does not record its priority cannot be shown to be urgent enough.
        if (priority >= 0 && (l.priority() < 0 || l.priority() > priority)) {
            return false;
        }
        return since == null || l.time() != null && !l.time().isBefore(since);
    }
}
