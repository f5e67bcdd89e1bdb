package org.tandemrc.session.files.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.tandemrc.api.files.FileEntry;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * The file-transfer messages. The Guest asks, the Host answers, one request at a time; a file's data
 * flows as a stream of operations (start, copies from the receiver's basis, literal bytes, runs of
 * zeros, end) paced by the receiver's acknowledgements, so neither side queues more than
 * {@link #WINDOW} bytes. Layout, in the {@link org.tandemrc.protocol.codec codec kit}'s conventions
 * (big-endian; a type byte first; text: u32 length and strict UTF-8 of at most {@link #MAX_PATH}
 * bytes; bytes: u32 length; flags 0 or 1):
 *
 * <pre>
 * Guest to Host
 * STAT 1, LIST 2, MKDIR 3, DELETE 4   text path
 * RENAME 5                            text from, text to
 * SYMLINK 6                           text path, text target
 * PUT 7                               text path, u8 delta          (the Host answers OFFER, then the data follows)
 * GET 8                               text path, u8 delta, offer   (the Host streams the file)
 * CANCEL 9, ABANDON 46                nothing
 * OFFER_FILE 10                       text name, i64 size          (the person at the Host decides: OK, then the
 *                                                                   data follows from 0, or REFUSED)
 * Host to Guest
 * OK 20                               nothing
 * ERROR 21                            text sentence
 * ENTRY 22                            u8 present, [entry]
 * ENTRIES 23                          u8 more, u32 n (at most {@value #ENTRIES_PER_MESSAGE}), n × entry
 * OFFER 24                            offer
 * REFUSED 25                          text sentence                (the person at the Host refused an offered file)
 * Both ways: a file's data and its acknowledgements
 * DATA_START 40                       i64 from, i64 size
 * DATA_COPY 41                        i64 first block, i32 count
 * DATA_LITERAL 42                     the rest of the message
 * DATA_ZEROS 43                       i64 count
 * DATA_END 44                         i64 size, bytes sha256 (32), i64 modified, i32 mode
 * ACK 45                              i64 bytes written
 * entry:  text name, u8 kind, i64 size, i64 modified, i32 mode, u8 hidden, u8 link, text target
 * offer:  i64 partial length, bytes partial sha256 (0 or 32), u8 basis, [bytes signature (at most
 *         {@value #MAX_SIGNATURE})]
 * </pre>
 *
 * A message must be read to its end; what is left over, like anything else malformed, is a
 * {@link ProtocolException}.
 */
final class FileWire {

    private FileWire() {
    }

    static final int STAT = 1;
    static final int LIST = 2;
    static final int MKDIR = 3;
    static final int DELETE = 4;
    static final int RENAME = 5;
    static final int SYMLINK = 6;
    static final int PUT = 7;
    static final int GET = 8;
    static final int CANCEL = 9;
    static final int OFFER_FILE = 10;

    static final int OK = 20;
    static final int ERROR = 21;
    static final int ENTRY = 22;
    static final int ENTRIES = 23;
    static final int OFFER = 24;
    static final int REFUSED = 25;

    static final int DATA_START = 40;
    static final int DATA_COPY = 41;
    static final int DATA_LITERAL = 42;
    static final int DATA_ZEROS = 43;
    static final int DATA_END = 44;
    static final int ACK = 45;
    static final int ABANDON = 46;

    /** The most file data a sender has in flight before the receiver acknowledges it. */
    static final int WINDOW = 16 * 1024 * 1024;
    /** A receiver acknowledges after this much data. */
    static final int ACK_EVERY = 1024 * 1024;
    /** The longest path or link target accepted, in bytes of UTF-8. */
    static final int MAX_PATH = 16 * 1024;
    /** The largest block signature offered (one message); larger files are sent whole. */
    static final int MAX_SIGNATURE = 960 * 1024;
    /** Entries per {@link #ENTRIES} message. */
    static final int ENTRIES_PER_MESSAGE = 2000;
    private static final int SHA256 = 32;
    /** The fewest bytes an entry takes on the wire. */
    private static final int MIN_ENTRY = 4 + 1 + 8 + 8 + 4 + 1 + 1 + 4;

    /** Any file-transfer message. */
    sealed interface Message permits Request, Answer, Data, Ack {
    }

    /** What the Guest asks. */
    sealed interface Request extends Message permits Stat, ListFolder, Mkdir, Delete, Rename, Symlink, Put, Get,
            Cancel, Abandon, OfferFile {
    }

    /** What the Host answers to a request. */
    sealed interface Answer extends Message permits Ok, Error, Entry, Entries, OfferAnswer, Refused {
    }

    /** A piece of a file's data, either way. */
    sealed interface Data extends Message permits Start, Copy, Literal, Zeros, End {
    }

    record Stat(String path) implements Request {
    }

    record ListFolder(String path) implements Request {
    }

    record Mkdir(String path) implements Request {
    }

    record Delete(String path) implements Request {
    }

    record Rename(String from, String to) implements Request {
    }

    record Symlink(String path, String target) implements Request {
    }

    /** The Guest sends a file; the Host answers with what it already has of it. */
    record Put(String path, boolean delta) implements Request {
    }

    /** The Guest fetches a file, telling what it already has of it. */
    record Get(String path, boolean delta, Offer offer) implements Request {
    }

    /** Stop the file the Host is streaming. */
    record Cancel() implements Request {
    }

    /** The Guest gives up sending the current file (it could not read it): the Host keeps what arrived. */
    record Abandon() implements Request {
    }

    /**
     * The Guest offers one file to the person at the Host (a Host that shares no folder too): a name only
     * they turn into a place, and the size that bounds its data.
     */
    record OfferFile(String name, long size) implements Request {
    }

    /** The person at the Host refused the offered file, or nobody answered in time. */
    record Refused(String sentence) implements Answer {
    }

    record Ok() implements Answer {
    }

    /** Why a request failed. */
    record Error(String sentence) implements Answer {
    }

    /** What STAT found, if anything. */
    record Entry(Optional<FileEntry> entry) implements Answer {
    }

    /** One part of a folder listing; {@code more} when another part follows. */
    record Entries(boolean more, List<FileEntry> entries) implements Answer {
        Entries {
            entries = List.copyOf(entries);
        }
    }

    /** The Host's answer to PUT. */
    record OfferAnswer(Offer offer) implements Answer {
    }

    /** Where the data resumes, and the whole file's size (nothing may go past it). */
    record Start(long from, long size) implements Data {
    }

    record Copy(long first, int count) implements Data {
    }

    /** New bytes: the message's own, not copied. */
    record Literal(ByteBuffer bytes) implements Data {
    }

    record Zeros(long count) implements Data {
    }

    record End(FileData.End end) implements Data {
    }

    /** The receiver has written this many more bytes: the sender may send that much more. */
    record Ack(long bytes) implements Message {
    }

    /** A message's bytes. */
    static ByteBuffer encode(Message m) {
        WireWriter w = new WireWriter();
        if (m instanceof Stat s) {
            w.u8(STAT).longText(s.path());
        } else if (m instanceof ListFolder l) {
            w.u8(LIST).longText(l.path());
        } else if (m instanceof Mkdir d) {
            w.u8(MKDIR).longText(d.path());
        } else if (m instanceof Delete d) {
            w.u8(DELETE).longText(d.path());
        } else if (m instanceof Rename r) {
            w.u8(RENAME).longText(r.from()).longText(r.to());
        } else if (m instanceof Symlink s) {
            w.u8(SYMLINK).longText(s.path()).longText(s.target());
        } else if (m instanceof Put p) {
            w.u8(PUT).longText(p.path()).bool(p.delta());
        } else if (m instanceof Get g) {
            offer(w.u8(GET).longText(g.path()).bool(g.delta()), g.offer());
        } else if (m instanceof Cancel) {
            w.u8(CANCEL);
        } else if (m instanceof Abandon) {
            w.u8(ABANDON);
        } else if (m instanceof OfferFile o) {
            w.u8(OFFER_FILE).longText(o.name()).i64(o.size());
        } else if (m instanceof Refused r) {
            w.u8(REFUSED).longText(r.sentence());
        } else if (m instanceof Ok) {
            w.u8(OK);
        } else if (m instanceof Error e) {
            w.u8(ERROR).longText(e.sentence());
        } else if (m instanceof Entry e) {
            w.u8(ENTRY).bool(e.entry().isPresent());
            e.entry().ifPresent(f -> entry(w, f));
        } else if (m instanceof Entries e) {
            w.u8(ENTRIES).bool(e.more()).u32(e.entries().size());
            e.entries().forEach(f -> entry(w, f));
        } else if (m instanceof OfferAnswer o) {
            offer(w.u8(OFFER), o.offer());
        } else if (m instanceof Start s) {
            w.u8(DATA_START).i64(s.from()).i64(s.size());
        } else if (m instanceof Copy c) {
            w.u8(DATA_COPY).i64(c.first()).u32(c.count());
        } else if (m instanceof Literal l) {
            w.u8(DATA_LITERAL).bytes(l.bytes());
        } else if (m instanceof Zeros z) {
            w.u8(DATA_ZEROS).i64(z.count());
        } else if (m instanceof End e) {
            FileData.End end = e.end();
            w.u8(DATA_END).i64(end.size()).blob(end.sha256()).i64(end.modified()).u32(end.mode());
        } else if (m instanceof Ack a) {
            w.u8(ACK).i64(a.bytes());
        }
        return w.toBuffer();
    }

    /** A {@link Literal} straight from the sender's array, copied once. */
    /**
     * A literal data message, written into {@code into} when it has room (a sender's buffer, reused once
     * {@link org.tandemrc.api.session.Channel#send} returned), else into a new buffer.
     */
    static ByteBuffer literal(ByteBuffer into, byte[] b, int off, int len) {
        ByteBuffer m = into != null && into.capacity() >= 1 + len ? into.clear() : ByteBuffer.allocate(1 + len);
        return m.put((byte) DATA_LITERAL).put(b, off, len).flip();
    }

    private static void entry(WireWriter w, FileEntry e) {
        w.longText(e.name()).u8(e.kind().ordinal()).i64(e.size()).i64(e.modified()).u32(e.mode()).bool(e.hidden())
                .bool(e.target() != null).longText(e.target());
    }

    private static WireWriter offer(WireWriter w, Offer o) {
        w.i64(o.partialLength()).blob(o.partialSha256()).bool(o.basis() != null);
        if (o.basis() != null) {
            w.blob(o.basis().encode());
        }
        return w;
    }

    /**
     * Reads one whole message.
     *
     * @throws ProtocolException when it is not a well-formed file-transfer message
     */
    static Message decode(ByteBuffer message) throws ProtocolException {
        WireReader r = new WireReader(message);
        int type = r.u8("message type");
        Message m = switch (type) {
            case STAT -> new Stat(path(r));
            case LIST -> new ListFolder(path(r));
            case MKDIR -> new Mkdir(path(r));
            case DELETE -> new Delete(path(r));
            case RENAME -> new Rename(path(r), path(r));
            case SYMLINK -> new Symlink(path(r), path(r));
            case PUT -> new Put(path(r), r.bool("delta flag"));
            case GET -> new Get(path(r), r.bool("delta flag"), offer(r));
            case CANCEL -> new Cancel();
            case ABANDON -> new Abandon();
            case OFFER_FILE -> new OfferFile(path(r), r.i64("size"));
            case REFUSED -> new Refused(path(r));
            case OK -> new Ok();
            case ERROR -> new Error(path(r));
            case ENTRY -> new Entry(r.bool("presence flag") ? Optional.of(entry(r)) : Optional.empty());
            case ENTRIES -> {
                boolean more = r.bool("more flag");
                int n = r.count("entry count", MIN_ENTRY, ENTRIES_PER_MESSAGE);
                List<FileEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    entries.add(entry(r));
                }
                yield new Entries(more, entries);
            }
            case OFFER -> new OfferAnswer(offer(r));
            case DATA_START -> new Start(r.i64("start"), r.i64("size"));
            case DATA_COPY -> new Copy(r.i64("first block"), r.i32("block count"));
            case DATA_LITERAL -> new Literal(r.rest());
            case DATA_ZEROS -> new Zeros(r.i64("zeros"));
            case DATA_END -> new End(new FileData.End(r.i64("size"), r.blob("sha256", SHA256), r.i64("modified"),
                    r.i32("mode")));
            case ACK -> new Ack(r.i64("acknowledged bytes"));
            default -> throw new ProtocolException("unknown file-transfer message " + type);
        };
        r.end("a file-transfer message");
        return m;
    }

    private static String path(WireReader r) throws ProtocolException {
        return r.longText("text", MAX_PATH);
    }

    private static FileEntry entry(WireReader r) throws ProtocolException {
        String name = path(r);
        FileEntry.Kind kind = r.ordinal(FileEntry.Kind.values(), "entry kind");
        long size = r.i64("size");
        long modified = r.i64("modified");
        int mode = r.i32("mode");
        boolean hidden = r.bool("hidden flag");
        boolean link = r.bool("link flag");
        String target = path(r);
        try {
            return new FileEntry(name, kind, size, modified, mode, hidden, link ? target : null);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProtocolException("a malformed entry: " + e.getMessage());
        }
    }

    private static Offer offer(WireReader r) throws ProtocolException {
        long partial = r.i64("partial length");
        byte[] sha = r.blob("partial sha256", SHA256);
        if (partial < 0 || partial > 0 && sha.length != SHA256) {
            throw new ProtocolException("a malformed offer");
        }
        Delta.Signature basis = null;
        if (r.bool("basis flag")) {
            try {
                basis = Delta.Signature.decode(ByteBuffer.wrap(r.blob("signature", MAX_SIGNATURE)));
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("a malformed signature: " + e.getMessage());
            }
        }
        return new Offer(partial, sha, basis);
    }
}
