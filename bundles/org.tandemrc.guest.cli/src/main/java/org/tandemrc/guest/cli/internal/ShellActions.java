package org.tandemrc.guest.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.OpenStream;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.StreamListener;
import org.tandemrc.support.command.ExitStatus;
import org.tandemrc.support.text.PeerText;

/**
 * {@code tandem guest shell ADDRESS}: the Host's Command Console on this terminal, and the streaming
 * operations of {@code tandem guest tool}. A shell puts a real terminal in raw mode (every key, Ctrl+C too,
 * goes to the Host; the terminal is restored afterwards) and follows its size; with standard input not a
 * terminal, its bytes are typed and its end is the terminal's end-of-file. The exit status is the shell's.
 * A {@link StreamKind#TEXT} stream prints lines with control characters defused, a {@link StreamKind#TABLE}
 * is printed again each time it comes.
 */
final class ShellActions {

    static final Set<String> VERBS = Set.of("shell");
    static final String TOOL = "shell";
    static final String OPEN = "open";
    /** The Host's Command Console ends with "exit status N". */
    private static final Pattern EXIT = Pattern.compile("exit status (\\d{1,3})");
    /** How often a terminal's size is looked at (no SIGWINCH reaches a JVM portably). */
    private static final long SIZE_MILLIS = 500;
    /** A line a Host sends without an end is printed once it is this long. */
    private static final int MAX_LINE = 64 * 1024;
    /** The terminal's end-of-file key: what ends the shell when the piped input ends. */
    private static final byte EOT = 4;

    private final RemoteTools tools;
    private final HostConnection connection;
    private final PrintStream out;
    private final PrintStream err;

    ShellActions(RemoteTools tools, HostConnection connection, PrintStream out, PrintStream err) {
        this.tools = tools;
        this.connection = connection;
        this.out = out;
        this.err = err;
    }

    /** The shell on this terminal until it ends; its exit status. */
    int shell(InputStream in) throws GuestException, ToolException, InterruptedException {
        Terminal terminal = System.console() == null ? null : Terminal.raw();
        try {
            int[] size = terminal == null ? null : terminal.size();
            Map<String, String> arguments = size == null ? Map.of()
                    : Map.of("columns", Integer.toString(size[0]), "rows", Integer.toString(size[1]));
            Ending ending = new Ending();
            OpenStream stream = tools.stream(connection, TOOL, OPEN, StreamKind.TERMINAL, arguments, new StreamListener() {
                @Override
                public CompletionStage<Void> data(ByteBuffer data) {
                    // A terminal's bytes are for this terminal: escape sequences are what the person asked for.
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    out.write(bytes, 0, bytes.length);
                    out.flush();
                    return CompletableFuture.completedFuture(null);
                }

                @Override
                public void ended(String sentence, boolean ok) {
                    ending.complete(sentence, ok);
                }
            });
            Thread keys = daemon(() -> type(in, stream, terminal == null), "tandem-shell-keys");
            keys.start();
            Thread sizes = terminal == null ? null : daemon(() -> follow(terminal, size, stream), "tandem-shell-size");
            if (sizes != null) {
                sizes.start();
            }
            try {
                ending.done.await();
            } finally {
                if (sizes != null) {
                    sizes.interrupt();
                }
                stream.close();
            }
            if (terminal != null) {
                terminal.restore();
            }
            Matcher m = EXIT.matcher(ending.sentence);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
            err.println("\r\ntandem: " + PeerText.escape(ending.sentence));
            return ending.ok ? ExitStatus.OK : ExitStatus.FAILURE;
        } finally {
            if (terminal != null) {
                terminal.restore();
            }
        }
    }

    /** How the stream ended, once. */
    private static final class Ending {
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        volatile String sentence = "";
        volatile boolean ok;

        void complete(String s, boolean k) {
            sentence = s;
            ok = k;
            done.countDown();
        }
    }

    /** Keys (or piped bytes) to the Host, one write per window stage; piped input ends with end-of-file. */
    private static void type(InputStream in, OpenStream stream, boolean piped) {
        byte[] buffer = new byte[Math.min(stream.maxWrite(), 16 * 1024)];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (n > 0) {
                    stream.write(ByteBuffer.wrap(buffer.clone(), 0, n)).toCompletableFuture().get();
                }
            }
            if (piped) {
                stream.write(ByteBuffer.wrap(new byte[] {EOT})).toCompletableFuture().get();
            }
        } catch (IOException | ExecutionException e) {
            // the stream ended: the shell's end says how
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void follow(Terminal terminal, int[] start, OpenStream stream) {
        int[] last = start;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                TimeUnit.MILLISECONDS.sleep(SIZE_MILLIS);
                int[] now = terminal.size();
                if (now != null && (last == null || now[0] != last[0] || now[1] != last[1])) {
                    stream.resize(now[0], now[1]);
                    last = now;
                }
            }
        } catch (InterruptedException e) {
            // the shell ended
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * A streaming operation of {@code tandem guest tool}: text and tables print here until the Host ends
     * the stream (or Ctrl+C ends this command); a terminal or bytes are for their own commands.
     */
    int stream(String tool, Operation operation, Map<String, String> arguments)
            throws GuestException, ToolException, InterruptedException {
        StreamKind kind = operation.stream();
        if (kind == StreamKind.TERMINAL) {
            throw new ToolException("'" + tool + " " + operation.id() + "' is a terminal: use 'tandem guest shell ADDRESS'"
                    + (tool.equals(TOOL) ? "" : " for the Command Console, or the browser console"));
        }
        if (kind == StreamKind.BYTES) {
            throw new ToolException("'" + tool + " " + operation.id() + "' carries bytes for a program, not for a"
                    + " terminal: use the command made for it (e.g. 'tandem guest tunnel ADDRESS')");
        }
        Ending ending = new Ending();
        ToolActions printer = new ToolActions(out);
        Lines lines = new Lines(out);
        OpenStream stream = tools.stream(connection, tool, operation.id(), kind, arguments, new StreamListener() {
            @Override
            public CompletionStage<Void> data(ByteBuffer data) {
                lines.add(data);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void shown(Result result) {
                if (System.console() != null) {
                    out.print("\033[H\033[2J");
                } else {
                    out.println();
                }
                printer.show(result);
                out.flush();
            }

            @Override
            public void ended(String sentence, boolean ok) {
                lines.flush();
                ending.complete(sentence, ok);
            }
        });
        try {
            ending.done.await();
        } finally {
            stream.close();
        }
        if (!ending.ok) {
            throw new ToolException(ending.sentence);
        }
        if (!ending.sentence.isEmpty()) {
            err.println(PeerText.escape(ending.sentence));
        }
        return ExitStatus.OK;
    }

    /** UTF-8 text from a Host, printed line by line, each line escaped: no byte of it drives the terminal. */
    static final class Lines {
        private final PrintStream out;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final StringBuilder line = new StringBuilder();
        private ByteBuffer carry = ByteBuffer.allocate(0);

        Lines(PrintStream out) {
            this.out = out;
        }

        synchronized void add(ByteBuffer data) {
            ByteBuffer in = ByteBuffer.allocate(carry.remaining() + data.remaining()).put(carry).put(data).flip();
            CharBuffer chars = CharBuffer.allocate(in.remaining());
            decoder.decode(in, chars, false);
            carry = ByteBuffer.allocate(in.remaining()).put(in).flip();
            chars.flip();
            while (chars.hasRemaining()) {
                char c = chars.get();
                if (c == '\n') {
                    print();
                } else {
                    line.append(c);
                    if (line.length() >= MAX_LINE) {
                        print();
                    }
                }
            }
            out.flush();
        }

        synchronized void flush() {
            if (carry.hasRemaining()) {
                line.append('\uFFFD');
                carry = ByteBuffer.allocate(0);
            }
            if (line.length() > 0) {
                print();
            }
            out.flush();
        }

        private void print() {
            // A line's own carriage return (CRLF) is its end, not text to show.
            int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
            out.println(PeerText.escape(line.substring(0, end)));
            line.setLength(0);
        }
    }

    /** This process's terminal, in raw mode until restored; through stty, on the standard input it inherits. */
    static final class Terminal {
        private final String saved;
        private boolean restored;

        private Terminal(String saved) {
            this.saved = saved;
        }

        /** Raw mode, or null when stty cannot set it (then the shell runs as with piped input). */
        static Terminal raw() {
            String saved = stty("-g");
            if (saved == null || saved.isBlank() || stty("raw", "-echo") == null) {
                return null;
            }
            Terminal t = new Terminal(saved.trim());
            Runtime.getRuntime().addShutdownHook(new Thread(t::restore, "tandem-shell-restore"));
            return t;
        }

        /** Columns and rows, or null. */
        int[] size() {
            String s = stty("size");
            if (s == null) {
                return null;
            }
            String[] f = s.trim().split("\\s+");
            try {
                int rows = Integer.parseInt(f[0]);
                int columns = Integer.parseInt(f[1]);
                return rows < 1 || columns < 1 ? null : new int[] {Math.min(columns, 1000), Math.min(rows, 1000)};
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                return null;
            }
        }

        synchronized void restore() {
            if (!restored) {
                restored = true;
                stty(saved);
            }
        }

        private static String stty(String... args) {
            List<String> command = new java.util.ArrayList<>();
            command.add(STTY);
            command.addAll(List.of(args));
            try {
                Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                byte[] output = p.getInputStream().readNBytes(4096);
                if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    return null;
                }
                return new String(output, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        private static final String STTY = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/stty"))
                ? "/bin/stty" : "/usr/bin/stty";
    }
}
