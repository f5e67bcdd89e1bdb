package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.GuestException.Reason;
import org.tandemrc.support.command.ExitStatus;

class GuestCommandTest {

    @Test
    void eachReasonAScriptActsOnHasItsOwnStatusAndEveryStatusIsInTheTable() {
        Map<Reason, Integer> expected = new EnumMap<>(Reason.class);
        expected.put(Reason.INVALID_REQUEST, 2);
        expected.put(Reason.UNREACHABLE, 3);
        expected.put(Reason.NO_ANSWER, 3);
        expected.put(Reason.CLOSED, 3);
        expected.put(Reason.PROTOCOL_ERROR, 3);
        expected.put(Reason.KEY_CHANGED, 4);
        expected.put(Reason.WRONG_PASSWORD, 5);
        expected.put(Reason.LOGON_REFUSED, 5);
        expected.put(Reason.LOCKED_OUT, 6);
        expected.put(Reason.SESSION_REFUSED, 7);
        expected.put(Reason.NOT_FOUND, 8);
        expected.put(Reason.NOT_INSTALLED, 8);
        expected.put(Reason.NOT_DONE, 1);
        expected.put(Reason.LOCAL_FAILURE, 1);
        expected.put(Reason.FAILED, 1);
        for (Reason reason : Reason.values()) {
            int status = ExitStatus.of(reason);
            assertEquals(expected.get(reason), status, reason.name());
            assertTrue(ExitStatus.TABLE.containsKey(status), reason + " -> " + status + " is in the help table");
        }
        assertEquals(2, new GuestCommand.Failure(new GuestException(Reason.INVALID_REQUEST, "bad address")).status);
        assertEquals(4, new GuestCommand.Failure(new GuestException(Reason.KEY_CHANGED, "key changed")).status);
        assertEquals(1, new GuestCommand.Failure("no password given").status);
    }

    @Test
    void sendTakesOneExistingFileBeforeItConnects() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream errors = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        java.io.PrintStream out = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        java.io.InputStream in = java.io.InputStream.nullInputStream();
        GuestCommand command = new GuestCommand();
        assertEquals(ExitStatus.USAGE, command.run(List.of("send", "h"), in, out, errors));
        assertEquals(ExitStatus.USAGE, command.run(List.of("send", "h", "a", "b"), in, out, errors));
        assertEquals(ExitStatus.USAGE, command.run(List.of("send", "h", "a", "--overwrite", "always"), in, out, errors));
        assertEquals(ExitStatus.NOT_FOUND, command.run(List.of("send", "h", "/no/such/file"), in, out, errors));
        assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).contains("/no/such/file is not a file"),
                err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theNormalisedRequestIsSplitOnceIntoWordsOptionsAndFlags() throws Exception {
        List<String> words = new ArrayList<>(List.of("copy", "a.txt", "h:/docs", "--overwrite", "never", "--no-delta",
                "--profile", "office"));
        GuestCommand.Options options = GuestCommand.Options.take(words);
        assertEquals(List.of("copy", "a.txt", "h:/docs"), words);
        assertEquals("never", options.value("--overwrite"));
        assertEquals("office", options.value("--profile"));
        assertTrue(options.flag("--no-delta"));
        assertFalse(options.flag("--one-way"));
        options.only("copy", GuestCommand.Options.FILES);
        GuestCommand.Usage wrong = assertThrows(GuestCommand.Usage.class,
                () -> options.only("connect", GuestCommand.Options.SESSIONS));
        assertTrue(wrong.getMessage().startsWith("tandem guest connect: unknown option --"), wrong.getMessage());
        wrong = assertThrows(GuestCommand.Usage.class,
                () -> GuestCommand.Options.take(new ArrayList<>(List.of("ls", "h:/", "--log"))));
        assertEquals("tandem guest: --log needs a value", wrong.getMessage());
    }

    @Test
    void stayGoesOnlyWithConnectAndIsCheckedBeforeConnecting() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream errors = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        java.io.PrintStream out = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        GuestCommand command = new GuestCommand();
        for (List<String> request : List.of(List.of("chat", "h", "--stay"), List.of("watch", "h", "--stay"),
                List.of("screenshot", "h", "--out", "x.png", "--stay"))) {
            err.reset();
            assertEquals(ExitStatus.USAGE, command.run(request, java.io.InputStream.nullInputStream(), out, errors),
                    request.toString());
            assertTrue(err.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith("tandem guest: --stay goes with connect"),
                    err.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
