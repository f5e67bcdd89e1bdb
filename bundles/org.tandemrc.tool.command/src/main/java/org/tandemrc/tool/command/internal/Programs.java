package org.tandemrc.tool.command.internal;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.tandemrc.api.tool.ToolException;

/**
 * What the command tools share: where a program and a working folder are, checked before anything runs;
 * the shell a command line goes to; ending a program with what it started; and turning a program's bytes
 * into the UTF-8 text a Guest is sent.
 */
final class Programs {

    /** A command line, a program path or an argument list longer than this is refused. */
    static final int MAX_COMMAND = 8192;
    /** A bare program name (found on PATH): letters, digits and {@code ._+-}, not starting with a dot or dash. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9._+-]{0,254}");
    /** The shell a command line is given to, as one argument after {@code -c}. */
    static final Path SHELL = Path.of("/bin/sh");
    /** Where a program's standard input comes from: nothing, so a command that reads input does not hang. */
    static final File NO_INPUT = new File("/dev/null");

    private Programs() {
    }

    /** The shell, or a refusal on a Host that has none (Windows). */
    static Path shell() throws ToolException {
        if (!Files.isExecutable(SHELL)) {
            throw new ToolException("this Host has no " + SHELL + " to run commands with");
        }
        return SHELL;
    }

    /** Refuses text a program cannot be given: empty, too long, or with a NUL. */
    static String text(String what, String value) throws ToolException {
        if (value == null || value.isBlank()) {
            throw new ToolException("the " + what + " is empty");
        }
        if (value.length() > MAX_COMMAND) {
            throw new ToolException("the " + what + " is longer than " + MAX_COMMAND + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new ToolException("the " + what + " holds a NUL character");
        }
        return value;
    }

    /**
     * The executable file {@code program} names: an absolute path, or a bare name looked up in the
     * absolute folders of PATH ({@code dir.separator}-joined {@code path}). Relative paths are refused: the
     * Host's working folder is not the Guest's business.
     */
    static Path program(String program, String path) throws ToolException {
        text("program", program);
        if (program.indexOf('/') >= 0) {
            Path p = Path.of(program);
            if (!p.isAbsolute() || !p.normalize().equals(p)) {
                throw new ToolException("the program must be a bare name or an absolute path without . or ..: '"
                        + shorten(program) + "'");
            }
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new ToolException(p + " is not an executable file on this Host");
            }
            return p;
        }
        if (!NAME.matcher(program).matches()) {
            throw new ToolException("'" + shorten(program) + "' is not a program name");
        }
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (dir.startsWith("/")) {
                Path p = Path.of(dir, program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        throw new ToolException("there is no program '" + program + "' on this Host's PATH");
    }

    /** The folder a program runs in: {@code home} when not given, else an existing absolute folder. */
    static File directory(String directory, String home) throws ToolException {
        if (directory == null || directory.isEmpty()) {
            return new File(home);
        }
        text("folder", directory);
        Path p = Path.of(directory);
        if (!p.isAbsolute()) {
            throw new ToolException("the folder must be an absolute path: '" + shorten(directory) + "'");
        }
        if (!Files.isDirectory(p)) {
            throw new ToolException("there is no folder " + p + " on this Host");
        }
        return p.toFile();
    }

    /** Kills the program and every process it started that is still its descendant. */
    static void end(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /**
     * A program's output as UTF-8 text: bytes that are not UTF-8 become U+FFFD, and a character cut
     * between two reads is kept until its last byte comes.
     */
    static final class Text {
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer pending = ByteBuffer.allocate(8);

        /** The text of {@code bytes[0..n)} after what came before, as UTF-8; {@code last} at the end of output. */
        byte[] decode(byte[] bytes, int n, boolean last) {
            ByteBuffer in = ByteBuffer.allocate(pending.position() + n);
            in.put(pending.flip()).put(bytes, 0, n).flip();
            pending.clear();
            CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
            decoder.decode(in, out, last);
            if (last) {
                decoder.flush(out);
            }
            pending.put(in);
            ByteBuffer utf8 = StandardCharsets.UTF_8.encode(out.flip());
            byte[] b = new byte[utf8.remaining()];
            utf8.get(b);
            return b;
        }
    }
}
