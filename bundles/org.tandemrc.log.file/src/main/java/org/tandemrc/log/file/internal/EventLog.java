package org.tandemrc.log.file.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Objects;

import org.tandemrc.api.event.AuditEvent;

/**
 * The log file and the events not written yet. Each event is formatted when it is recorded, queued, and
 * the queue is written in order, flushing after every line; a line leaves the queue only once it is on
 * disk. When the file cannot be opened or written, one warning is logged and the lines stay queued (at
 * most {@link #capacity}, the oldest dropped beyond that) until a later {@link #record} succeeds. Before
 * each write the file is checked: if it was deleted, moved or replaced (rotation), it is opened again at
 * its path.
 */
final class EventLog implements AutoCloseable {

    static final int DEFAULT_CAPACITY = 10_000;
    private static final Logger LOG = System.getLogger("org.tandemrc.log.file");

    private final int capacity;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private Path file;
    private LineFormat format;
    private boolean enabled;
    private FileChannel channel;
    private BufferedWriter writer;
    private Object fileKey;
    private boolean failing;
    private long dropped;

    EventLog(Path file, LineFormat format, boolean enabled, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        configure(file, format, enabled);
    }

    /** Applies new settings; queued lines are kept and go to the new file. */
    synchronized void configure(Path file, LineFormat format, boolean enabled) {
        if (!Objects.equals(this.file, file)) {
            closeWriter();
        }
        this.file = Objects.requireNonNull(file, "file");
        this.format = Objects.requireNonNull(format, "format");
        this.enabled = enabled;
    }

    /** Queues the event (unless logging is disabled) and writes everything queued that it can. */
    synchronized void record(AuditEvent event) {
        if (!enabled) {
            return;
        }
        if (pending.size() == capacity) {
            pending.removeFirst();
            dropped++;
        }
        pending.addLast(format.format(event));
        drain();
    }

    /** How many lines wait for the file to become writable. */
    synchronized int pending() {
        return pending.size();
    }

    synchronized Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (enabled && !pending.isEmpty()) {
            drain();
        }
        if (!pending.isEmpty()) {
            LOG.log(Level.WARNING, "closing the event log with {0} events not written to {1}", pending.size(), file);
        }
        closeWriter();
    }

    private void drain() {
        try {
            while (!pending.isEmpty()) {
                BufferedWriter out = writer();
                out.write(pending.peekFirst());
                out.write('\n');
                out.flush();
                pending.removeFirst();
            }
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, "event log {0} is writable again{1}", file,
                        dropped == 0 ? "" : "; " + dropped + " events were dropped meanwhile");
                dropped = 0;
            }
        } catch (IOException | RuntimeException e) {
            closeWriter();
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "cannot write the event log " + file + "; keeping up to " + capacity
                        + " events in memory and retrying with the next one", e);
            }
        }
    }

    /** The open writer, (re)opened when there is none or the file at the path is not the one it writes. */
    private BufferedWriter writer() throws IOException {
        if (writer != null && !sameFile()) {
            closeWriter();
        }
        if (writer == null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            boolean brokenLine = endsWithoutNewline(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            try {
                fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
                writer = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                        StandardCharsets.UTF_8)); // replaces, never rejects, unpaired surrogates
                if (brokenLine) {
                    writer.write('\n'); // a line cut short by an earlier failure stays apart from the next
                }
            } catch (IOException | RuntimeException e) {
                closeWriter();
                throw e;
            }
        }
        return writer;
    }

    private boolean sameFile() {
        try {
            if (!Files.exists(file)) {
                return false;
            }
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key == null || key.equals(fileKey);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the file exists and its last line is incomplete. */
    private static boolean endsWithoutNewline(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            in.read(last, size - 1);
            return last.get(0) != '\n';
        }
    }

    /**
     * Closes the file without flushing the writer: every line was flushed or is still queued, so text
     * left in the buffer after a failure must not reach the file (it would be written twice).
     */
    private void closeWriter() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was lost: unwritten lines are still queued
            }
        }
        channel = null;
        writer = null;
        fileKey = null;
    }
}
