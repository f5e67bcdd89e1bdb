package org.tandemrc.tool.events.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;

/**
 * The syslog files (rsyslog's or syslog-ng's): the recent lines from the end of each, and following them as
 * {@code tail -F} does — a file renamed away (rotation) is read to its end and the new file under the name
 * is read from its start; a file cut short (copytruncate) is read again from its start.
 */
final class FileEvents implements EventSource {

    /** Bytes read from the end of one file for the recent lines. */
    static final int MAX_TAIL = 8 * 1024 * 1024;
    /** Bytes read from one file in one round of following, so one busy file does not starve the others. */
    static final int MAX_ROUND = 1024 * 1024;
    static final long POLL_MILLIS = 200;

    private final List<Path> files;
    private final Clock clock;

    FileEvents(List<Path> files, Clock clock) {
        this.files = List.copyOf(files);
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "the syslog files";
    }

    List<Path> files() {
        return files;
    }

    private List<Path> existing(Filter filter) throws ToolException {
        if (filter.unit() != null) {
            throw new ToolException("the syslog files do not record systemd units; filter by program instead");
        }
        List<Path> there = files.stream().filter(Files::isReadable).toList();
        if (there.isEmpty()) {
            throw new ToolException("none of the syslog files is there to read: "
                    + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        return there;
    }

    @Override
    public List<LogLine> recent(Filter filter) throws ToolException {
        Instant now = clock.instant();
        List<LogLine> all = new ArrayList<>();
        for (Path file : existing(filter)) {
            Instant last = Instant.EPOCH;
            for (String raw : tail(file)) {
                LogLine l = LogLine.parse(raw, clock.getZone(), now);
                // A line without a time this parser knows sorts with the line before it.
                last = l.time() != null ? l.time() : last;
                if (filter.accepts(l)) {
                    all.add(l.time() != null ? l : new LogLine(last, l.host(), l.program(), l.pid(), l.priority(), l.message()));
                }
            }
        }
        all.sort(Comparator.comparing(l -> Objects.requireNonNull(l.time())));
        return all.subList(Math.max(0, all.size() - filter.lines()), all.size());
    }

    /** The whole lines in the last {@link #MAX_TAIL} bytes of a file. */
    static List<String> tail(Path file) throws ToolException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long from = Math.max(0, size - MAX_TAIL);
            ByteBuffer b = ByteBuffer.allocate((int) (size - from));
            while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
                // read until the size seen at the start
            }
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n")));
            if (from > 0 && !lines.isEmpty()) {
                lines.remove(0); // begun mid-line
            }
            lines.removeIf(String::isEmpty);
            return lines;
        } catch (IOException e) {
            throw new ToolException(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public StreamInput follow(Filter filter, ToolStream out) throws ToolException {
        List<Followed> followed = new ArrayList<>();
        for (Path file : existing(filter)) {
            followed.add(new Followed(file));
        }
        // The files that are not there yet are followed too: rotation may make them.
        files.stream().filter(f -> followed.stream().noneMatch(x -> x.path.equals(f))).forEach(f -> followed.add(new Followed(f)));
        for (Followed f : followed) {
            f.openAtEnd();
        }
        LineSink sink = new LineSink(out);
        Thread t = new Thread(() -> {
            try {
                while (out.isOpen()) {
                    for (Followed f : followed) {
                        for (String raw : f.poll()) {
                            LogLine l = LogLine.parse(raw, clock.getZone(), clock.instant());
                            if (filter.accepts(l) && !sink.add(stripPriority(raw))) {
                                return;
                            }
                        }
                    }
                    if (!sink.flush()) {
                        return;
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                // closed: the Guest or the Host ended the stream
            } finally {
                followed.forEach(Followed::close);
            }
        }, "events follow " + out.guestName());
        t.setDaemon(true);
        t.start();
        return reason -> t.interrupt();
    }

    /** The line as the file has it, without the {@code <PRI>} a template may put first. */
    static String stripPriority(String raw) {
        String line = raw.length() > LogLine.MAX_LINE ? raw.substring(0, LogLine.MAX_LINE) : raw;
        return line.matches("(?s)<\\d{1,3}>.*") ? line.substring(line.indexOf('>') + 1) : line;
    }

    /** One file being followed: its open channel, which file it is (the file key), and how far it was read. */
    static final class Followed {
        final Path path;
        private @Nullable FileChannel ch;
        private @Nullable Object key;
        private long position;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        /** The last bytes read (at most {@link #SEEN}), to tell a file cut and written again past the old size. */
        private byte[] seen = new byte[0];
        static final int SEEN = 64;

        Followed(Path path) {
            this.path = path;
        }

        void openAtEnd() {
            if (open()) {
                try {
                    FileChannel c = Objects.requireNonNull(ch);
                    position = Math.max(0, c.size() - SEEN);
                    // read the last few bytes without keeping them as lines: they are the mark to compare
                    read(new ArrayList<>());
                    partial.reset();
                } catch (IOException e) {
                    close();
                }
            }
        }

        private boolean open() {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                ch = FileChannel.open(path, StandardOpenOption.READ);
                key = a.fileKey();
                position = 0;
                seen = new byte[0];
                partial.reset();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        /** The whole lines added since the last poll, the rotated file's last ones first. */
        List<String> poll() {
            List<String> lines = new ArrayList<>();
            if (ch == null) {
                if (open()) {
                    read(lines);
                }
                return lines;
            }
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                if (!Objects.equals(a.fileKey(), key)) {
                    read(lines); // what the writer put in the old file before it let go of it
                    close();
                    open();
                } else if (a.size() < position || !sameBefore()) {
                    // Cut and written again: a size no smaller than before does not prove the same content.
                    position = 0;
                    seen = new byte[0];
                    partial.reset();
                }
            } catch (IOException e) {
                // renamed away and nothing new under the name yet: keep reading the old file
            }
            read(lines);
            return lines;
        }

        /** Whether the bytes just before the position are still those read there. */
        private boolean sameBefore() throws IOException {
            FileChannel c = Objects.requireNonNull(ch);
            ByteBuffer b = ByteBuffer.allocate(seen.length);
            while (b.hasRemaining() && c.read(b, position - seen.length + b.position()) > 0) {
                // read the few bytes
            }
            return !b.hasRemaining() && Arrays.equals(b.array(), seen);
        }

        private void read(List<String> lines) {
            FileChannel c = ch;
            if (c == null) {
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            int round = 0;
            try {
                int n;
                while (round < MAX_ROUND && (n = c.read(b.clear(), position)) > 0) {
                    position += n;
                    round += n;
                    byte[] both = Arrays.copyOf(seen, seen.length + n);
                    System.arraycopy(b.array(), 0, both, seen.length, n);
                    seen = Arrays.copyOfRange(both, Math.max(0, both.length - SEEN), both.length);
                    for (int i = 0; i < n; i++) {
                        byte x = b.get(i);
                        if (x == '\n') {
                            lines.add(partial.toString(StandardCharsets.UTF_8));
                            partial.reset();
                        } else if (partial.size() < LogLine.MAX_LINE * 4) {
                            partial.write(x);
                        }
                    }
                }
            } catch (IOException e) {
                // the next poll tries again
            }
        }

        void close() {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException e) {
                // nothing left to release
            }
            ch = null;
        }
    }
}
