package org.tandemrc.security.client.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.security.SecurityServerWire;

/**
 * The node's events on their way to the Security Server, on disk until the server acknowledges them:
 * numbered from 0 per node, appended to segment files {@code NUMBER.events} (each named by its first
 * number, records {@code length, CRC32C, event}), flushed with one fsync per batch, forgotten only up
 * to the number the server acknowledged ({@code acked} holds the first number not yet acknowledged,
 * so numbering goes on after every segment is gone). A record torn by a crash is cut off when the
 * outbox opens again.
 *
 * <p>Bounded by {@code maxBytes}: when full, the events already kept stay and new ones are dropped and
 * counted; as soon as there is room again, one {@link EventCodes#TANDEM_SECURITY_SERVER_UNREACHABLE}
 * event says how many were dropped and between which times. The oldest are kept because they are
 * already numbered and may be the start of what an auditor looks for (the first steps of an attack
 * that then floods the log); a gap in the middle of a numbered history would be worse than a marked
 * one at its end, and the node's local event log still holds the dropped ones.
 *
 * <p>Not thread-safe: the client calls it from its one thread, except {@link #append}, which is
 * synchronized and only queues in memory.
 */
final class Outbox implements Closeable {

    /** Length (4 bytes) and CRC32C (4 bytes) before each event. */
    static final int RECORD_HEADER = 8;
    /** One record's event at most: the wire's bounds, with room for UTF-8. */
    static final int MAX_RECORD = 8 + 2 + 32 + 1 + 3 * (2 + SecurityServerWire.MAX_NAME * 4) + 4
            + SecurityServerWire.MAX_EVENT_TEXT * 4;
    /** A segment's size at most; a sixteenth of a small outbox, so that acknowledgements free room in steps. */
    static final long SEGMENT_BYTES = 4L << 20;
    /** Events waiting in memory for the next write at most (the disk stalls, events keep coming). */
    static final long MAX_PENDING = 8L << 20;
    private static final String SUFFIX = ".events";
    private static final System.Logger LOG = System.getLogger("org.tandemrc.security.client");

    /** One segment file: the number of its first event, how many it holds, its size. */
    private static final class Segment {
        final long first;
        final Path file;
        long count;
        long size;

        Segment(long first, Path file) {
            this.first = first;
            this.file = file;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final List<Segment> segments = new ArrayList<>();
    /** Events recorded, not yet written. Guarded by {@code pendingLock}. */
    private List<byte[]> pending = new ArrayList<>();
    private long pendingBytes;
    private long dropped;
    private Instant droppedFirst;
    private Instant droppedLast;
    /** Where in {@code pending} the drop marker goes: after what was kept before the first drop. */
    private int markerAt;
    private final Object pendingLock = new Object();
    private volatile long diskBytes;
    private volatile String node = "";
    private FileChannel tail;
    private volatile long next;
    private volatile long firstUnacked;
    /** Where reading stopped: the number of the event at {@code cursorOffset} in {@code cursorSegment}. */
    private Segment cursorSegment;
    private long cursorNumber = -1;
    private long cursorOffset;

    Outbox(Path dir, long maxBytes) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = Math.min(SEGMENT_BYTES, maxBytes / 16);
        Files.createDirectories(dir);
        Path acked = dir.resolve("acked");
        if (Files.exists(acked)) {
            try {
                firstUnacked = Long.parseLong(Files.readString(acked, StandardCharsets.US_ASCII).trim());
            } catch (NumberFormatException e) {
                throw new IOException(acked + " is damaged: " + e.getMessage());
            }
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            ds.forEach(files::add);
        }
        files.sort(null); // zero-padded numbers: by name is by number
        next = firstUnacked;
        for (Path f : files) {
            String number = f.getFileName().toString().replace(SUFFIX, "");
            if (!number.matches("\\d{20}")) {
                LOG.log(System.Logger.Level.WARNING, "{0} is no outbox segment; left alone", f);
                continue;
            }
            long first = Long.parseLong(number);
            Segment s = new Segment(first, f);
            scan(s);
            if (s.first + s.count <= firstUnacked || s.count == 0) {
                Files.delete(f);
                continue;
            }
            segments.add(s);
            next = Math.max(next, s.first + s.count);
        }
        if (!segments.isEmpty()) {
            firstUnacked = Math.max(firstUnacked, segments.get(0).first);
        }
        diskBytes = segments.stream().mapToLong(s -> s.size).sum();
    }

    /** Counts a segment's whole records and cuts off a torn or damaged tail. */
    private static void scan(Segment s) throws IOException {
        try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long pos = 0;
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
            while (pos + RECORD_HEADER <= size) {
                header.clear();
                readFully(ch, header, pos);
                int len = header.getInt(0);
                if (len <= 0 || len > MAX_RECORD || pos + RECORD_HEADER + len > size) {
                    break;
                }
                ByteBuffer body = ByteBuffer.allocate(len);
                readFully(ch, body, pos + RECORD_HEADER);
                if (crc(body.array()) != header.getInt(4)) {
                    break;
                }
                pos += RECORD_HEADER + len;
                s.count++;
            }
            if (pos < size) {
                LOG.log(System.Logger.Level.WARNING, "{0}: cut off {1} bytes of a torn or damaged record",
                        s.file, size - pos);
                ch.truncate(pos);
                ch.force(true);
            }
            s.size = pos;
        }
    }

    /** The name the drop marker carries as its node. */
    void node(String name) {
        node = name;
    }

    /** Queues an event in memory; {@link #flush} writes it. Drops it (counted) when the outbox is full. */
    void append(AuditEvent e) {
        byte[] b = SecurityServerWire.encode(e);
        synchronized (pendingLock) {
            if (diskBytes + pendingBytes + RECORD_HEADER + b.length > maxBytes || pendingBytes > MAX_PENDING) {
                if (dropped++ == 0) {
                    markerAt = pending.size();
                    droppedFirst = e.time();
                }
                droppedLast = e.time();
                return;
            }
            pending.add(b);
            pendingBytes += RECORD_HEADER + b.length;
        }
    }

    /** How many events wait in memory to be written. */
    int pending() {
        synchronized (pendingLock) {
            return pending.size();
        }
    }

    /**
     * Writes what was appended, the drop marker first when events were dropped and there is room again,
     * and forces it to disk once.
     */
    void flush() throws IOException {
        List<byte[]> batch;
        synchronized (pendingLock) {
            if (dropped > 0) {
                AuditEvent marker = new AuditEvent(Instant.now(), EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE,
                        Severity.WARNING, node, "", "", dropped + " events dropped between " + droppedFirst + " and "
                                + droppedLast + ": the outbox for the Security Server was full (" + maxBytes
                                + " bytes); the node's local event log keeps them");
                byte[] b = SecurityServerWire.encode(marker);
                if (diskBytes + pendingBytes + RECORD_HEADER + b.length <= maxBytes) {
                    LOG.log(System.Logger.Level.WARNING, marker.detail());
                    pending.add(Math.min(markerAt, pending.size()), b);
                    pendingBytes += RECORD_HEADER + b.length;
                    dropped = 0;
                    droppedFirst = null;
                    droppedLast = null;
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new ArrayList<>();
            pendingBytes = 0;
            markerAt = 0; // what is appended from now on came after the drops
        }
        for (byte[] b : batch) {
            Segment s = segments.isEmpty() ? null : segments.get(segments.size() - 1);
            if (s == null || s.size >= segmentBytes) {
                if (tail != null) {
                    tail.force(false);
                    tail.close();
                    tail = null;
                }
                s = newSegment();
            }
            if (tail == null) {
                tail = FileChannel.open(s.file, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            ByteBuffer r = ByteBuffer.allocate(RECORD_HEADER + b.length).putInt(b.length).putInt(crc(b)).put(b).flip();
            while (r.hasRemaining()) {
                tail.write(r);
            }
            s.count++;
            s.size += RECORD_HEADER + b.length;
            diskBytes += RECORD_HEADER + b.length;
            next++;
        }
        tail.force(false);
    }

    private Segment newSegment() {
        Segment s = new Segment(next, dir.resolve(String.format("%020d%s", next, SUFFIX)));
        segments.add(s);
        return s;
    }

    /** The number the next written event gets. */
    long next() {
        return next;
    }

    /** The first event the server has not acknowledged. */
    long firstUnacked() {
        return firstUnacked;
    }

    /** Bytes on disk. */
    long bytes() {
        return diskBytes;
    }

    /** Up to {@code max} written events from number {@code from} on (fewer at the end). */
    List<AuditEvent> read(long from, int max) throws IOException {
        List<AuditEvent> out = new ArrayList<>();
        long n = from;
        while (out.size() < max && n < next) {
            Segment s = segmentOf(n);
            long offset = s == cursorSegment && n == cursorNumber ? cursorOffset : skip(s, n);
            try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
                while (out.size() < max && n < s.first + s.count) {
                    header.clear();
                    readFully(ch, header, offset);
                    int len = header.getInt(0);
                    if (len <= 0 || len > MAX_RECORD) {
                        throw new IOException(s.file + " is damaged at " + offset);
                    }
                    ByteBuffer body = ByteBuffer.allocate(len);
                    readFully(ch, body, offset + RECORD_HEADER);
                    try {
                        out.add(SecurityServerWire.decode(body.array()));
                    } catch (ProtocolException e) {
                        throw new IOException(s.file + " holds a damaged event at " + offset + ": " + e.getMessage());
                    }
                    offset += RECORD_HEADER + len;
                    n++;
                }
            }
            cursorSegment = s;
            cursorNumber = n;
            cursorOffset = offset;
        }
        return out;
    }

    private Segment segmentOf(long n) throws IOException {
        for (Segment s : segments) {
            if (n >= s.first && n < s.first + s.count) {
                return s;
            }
        }
        throw new IOException("event " + n + " is not in the outbox (" + firstUnacked + ".." + next + ")");
    }

    /** The offset of event {@code n} in its segment, by its records' lengths. */
    private static long skip(Segment s, long n) throws IOException {
        try (FileChannel ch = FileChannel.open(s.file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(4);
            long offset = 0;
            for (long i = s.first; i < n; i++) {
                header.clear();
                readFully(ch, header, offset);
                offset += RECORD_HEADER + header.getInt(0);
            }
            return offset;
        }
    }

    /**
     * The server stored every event up to {@code upTo}: they are forgotten (whole segments deleted).
     * An acknowledgement of what was never written is the caller's to refuse.
     */
    void ack(long upTo) throws IOException {
        if (upTo < firstUnacked || upTo >= next) {
            throw new IllegalArgumentException("acknowledged " + upTo + " outside " + firstUnacked + ".." + (next - 1));
        }
        firstUnacked = upTo + 1;
        Path acked = dir.resolve("acked");
        Path tmp = dir.resolve("acked.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((firstUnacked + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, acked, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        while (!segments.isEmpty() && segments.get(0).first + segments.get(0).count <= firstUnacked) {
            Segment s = segments.remove(0);
            if (segments.isEmpty() && tail != null) {
                tail.close();
                tail = null;
            }
            if (s == cursorSegment) {
                cursorSegment = null;
            }
            Files.delete(s.file);
            diskBytes -= s.size;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            if (tail != null) {
                tail.close();
                tail = null;
            }
        }
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of an outbox segment");
            }
        }
    }
}
