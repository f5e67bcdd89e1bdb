package org.tandemrc.support.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.tandemrc.api.guest.GuestException;

/**
 * The exit statuses of the {@code tandem} command line, and the one way a failure becomes one: a
 * refused argument ({@link IllegalArgumentException}) is wrong usage, a file or store that cannot be
 * read or written ({@link IOException}) a failure, each told on standard error as
 * {@code tandem: MESSAGE}; a Guest operation's {@link GuestException.Reason} its status by
 * {@link #of(GuestException.Reason)}.
 *
 * <p>In the spirit of ssh and curl, a script can tell apart what it would act on differently (try
 * again later, ask for another password, check the Host's key) without reading the message; 1 and
 * 2 keep their old meaning, and the rest stay below 126, which shells reserve.
 */
public final class ExitStatus {

    public static final int OK = 0;
    /** A failure no other status names; the message says what. */
    public static final int FAILURE = 1;
    /** A wrong command line, or a request that cannot work as written. */
    public static final int USAGE = 2;
    /** @since 0.2 */
    public static final int UNREACHABLE = 3;
    /** @since 0.2 */
    public static final int KEY_CHANGED = 4;
    /** @since 0.2 */
    public static final int LOGON_REFUSED = 5;
    /** @since 0.2 */
    public static final int LOCKED_OUT = 6;
    /** @since 0.2 */
    public static final int REFUSED = 7;
    /** @since 0.2 */
    public static final int NOT_FOUND = 8;
    /** 128 + SIGINT, as shells report a command Ctrl+C ended. @since 0.2 */
    public static final int INTERRUPTED = 130;

    /**
     * Each status and what it means, in order: the table {@code tandem --help} prints (the launcher
     * copies {@code exit-statuses.txt} from this bundle at build time) and the README shows.
     * @since 0.2
     */
    public static final Map<Integer, String> TABLE = table();

    /** A command's body, answering its exit status. */
    @FunctionalInterface
    public interface Body {
        int run() throws IOException;
    }

    private ExitStatus() {
    }

    /** Reads the table from {@code exit-statuses.txt}, the one the launcher's help prints too. */
    private static Map<Integer, String> table() {
        Map<Integer, String> t = new LinkedHashMap<>();
        try (InputStream in = ExitStatus.class.getResourceAsStream("exit-statuses.txt")) {
            if (in == null) {
                throw new IllegalStateException("exit-statuses.txt is missing from the support bundle");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    t.put(Integer.parseInt(line.substring(0, space)), line.substring(space + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(t);
    }

    /**
     * The exit status of each reason a Guest operation fails: the one place the command line maps
     * them (the browser console maps them to HTTP statuses).
     * @since 0.2
     */
    public static int of(GuestException.Reason reason) {
        return switch (reason) {
            case INVALID_REQUEST -> USAGE;
            case UNREACHABLE, NO_ANSWER, CLOSED, PROTOCOL_ERROR -> UNREACHABLE;
            case KEY_CHANGED -> KEY_CHANGED;
            case WRONG_PASSWORD, LOGON_REFUSED -> LOGON_REFUSED;
            case LOCKED_OUT -> LOCKED_OUT;
            case SESSION_REFUSED -> REFUSED;
            case NOT_FOUND, NOT_INSTALLED -> NOT_FOUND;
            case NOT_DONE, LOCAL_FAILURE, FAILED -> FAILURE;
        };
    }

    /** Runs {@code body}; a failure is told on {@code err} and answered with its status. */
    public static int of(PrintStream err, Body body) {
        try {
            return body.run();
        } catch (IllegalArgumentException e) {
            err.println("tandem: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("tandem: " + e.getMessage());
            return FAILURE;
        }
    }
}
