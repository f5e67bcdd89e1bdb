package org.tandemrc.tool.events.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One line of a syslog file or of {@code journalctl -o short-iso}: an optional {@code <PRI>} (rsyslog writes
 * it where its template asks), the time (RFC 3339, journalctl's ISO with a {@code +0000} offset, or the
 * traditional {@code Dec  5 15:00:00} without a year), the host, the tag ({@code program[pid]:}) and the
 * message. A line that does not parse is kept whole as its message.
 *
 * @param time     when, or null when the line carries no time this parser knows
 * @param priority 0 (emerg) to 7 (debug), or -1 when the line does not record it
 */
record LogLine(@Nullable Instant time, String host, String program, String pid, int priority, String message) {

    /** A line is cut here: a single entry longer than this is someone's attack or a dump, not an event. */
    static final int MAX_LINE = 8192;

    static final String[] PRIORITIES = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};

    private static final Pattern LINE = Pattern.compile(
            "(?:<(\\d{1,3})>)?(\\d{4}-\\d\\d-\\d\\dT\\S+|[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d) (\\S+) "
                    + "([^\\s\\[:]+)(?:\\[(\\d+)\\])?: ?(.*)", Pattern.DOTALL);
    private static final DateTimeFormatter ISO = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendPattern("[XXX][XX][X]").toFormatter(Locale.ROOT);
    private static final DateTimeFormatter TRADITIONAL = new DateTimeFormatterBuilder().appendPattern("MMM ppd HH:mm:ss")
            .parseDefaulting(ChronoField.YEAR, 2000).toFormatter(Locale.ROOT);

    static LogLine parse(String raw, ZoneId zone, Instant now) {
        String line = raw.length() > MAX_LINE ? raw.substring(0, MAX_LINE) : raw;
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return new LogLine(null, "", "", "", -1, line);
        }
        int priority = m.group(1) == null ? -1 : Math.min(191, Integer.parseInt(m.group(1))) & 7;
        return new LogLine(time(m.group(2), zone, now), m.group(3), m.group(4), m.group(5) == null ? "" : m.group(5),
                priority, m.group(6));
    }

    /** The time of a line; a traditional one, without year, is the last such moment not after now. */
    static @Nullable Instant time(String s, ZoneId zone, Instant now) {
        try {
            if (Character.isDigit(s.charAt(0))) {
                var parsed = ISO.parseBest(s, OffsetDateTime::from, LocalDateTime::from);
                return parsed instanceof OffsetDateTime o ? o.toInstant() : ((LocalDateTime) parsed).atZone(zone).toInstant();
            }
            LocalDateTime t = LocalDateTime.parse(s, TRADITIONAL);
            int year = Year.from(now.atZone(zone)).getValue();
            Instant at = MonthDay.from(t).atYear(year).atTime(t.toLocalTime()).atZone(zone).toInstant();
            // A log written in December and read in January: the day is last year's.
            return at.isAfter(now.plusSeconds(86_400)) ? MonthDay.from(t).atYear(year - 1).atTime(t.toLocalTime()).atZone(zone).toInstant() : at;
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    String priorityName() {
        return priority < 0 ? "" : PRIORITIES[priority];
    }
}
