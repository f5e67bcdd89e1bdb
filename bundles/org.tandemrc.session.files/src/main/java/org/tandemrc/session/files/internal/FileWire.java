package org.tandemrc.session.files.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.tandemrc.api.files.FileEntry;

/**
 * The file-transfer messages. The Guest asks, the Host answers, one request at a time; a file's data
 * flows as a stream of operations (start, copies from the receiver's basis, literal bytes, runs of
 * zeros, end) paced by the receiver's acknowledgements, so neither side queues more than
 * {@link #WINDOW} bytes. Everything read from the peer is bounds-checked before use.
 */
final class FileWire {

    private FileWire() {
    }

    // Guest to Host: requests.
    static final int STAT = 1;
    static final int LIST = 2;
    static final int MKDIR = 3;
    static final int DELETE = 4;
    static final int RENAME = 5;
    static final int SYMLINK = 6;
    /** path, delta wanted: the Host answers with its {@link #OFFER}, then the Guest streams the file. */
    static final int PUT = 7;
    /** path, then the Guest's offer: the Host streams the file. */
    static final int GET = 8;
    /** Stop the file the Host is streaming. */
    static final int CANCEL = 9;

    // Host to Guest: answers.
    static final int OK = 20;
    static final int ERROR = 21;
    static final int ENTRY = 22;
    static final int ENTRIES = 23;
    static final int OFFER = 24;

    // Both ways: a file's data.
    /** where the data resumes, the whole file's size (nothing may go past it). */
    static final int DATA_START = 40;
    static final int DATA_COPY = 41;
    static final int DATA_LITERAL = 42;
    static final int DATA_ZEROS = 43;
    static final int DATA_END = 44;
    /** The Guest gives up sending the current file (it could not read it): the Host keeps what arrived. */
    static final int ABANDON = 46;
    /** The receiver has written this many more bytes: the sender may send that much more. */
    static final int ACK = 45;

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

    /** Builds one message. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        private final DataOutputStream data = new DataOutputStream(bytes);

        Out(int type) {
            u8(type);
        }

        Out u8(int v) {
            try {
                data.writeByte(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out i32(int v) {
            try {
                data.writeInt(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out i64(long v) {
            try {
                data.writeLong(v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Out bool(boolean v) {
            return u8(v ? 1 : 0);
        }

        Out bytes(byte[] b) {
            i32(b.length);
            bytes.write(b, 0, b.length);
            return this;
        }

        Out text(String s) {
            return bytes(s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
        }

        Out entry(FileEntry e) {
            text(e.name()).u8(e.kind().ordinal()).i64(e.size()).i64(e.modified()).i32(e.mode()).bool(e.hidden());
            return bool(e.target() != null).text(e.target());
        }

        ByteBuffer build() {
            return ByteBuffer.wrap(bytes.toByteArray());
        }
    }

    /** Reads one message; every malformed read is an {@link IllegalArgumentException}. */
    static final class In {
        private final ByteBuffer b;

        In(ByteBuffer b) {
            this.b = b;
        }

        int u8() {
            try {
                return b.get() & 0xff;
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("a message is cut short");
            }
        }

        int i32() {
            try {
                return b.getInt();
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("a message is cut short");
            }
        }

        long i64() {
            try {
                return b.getLong();
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("a message is cut short");
            }
        }

        boolean bool() {
            return u8() != 0;
        }

        byte[] bytes(int max) {
            int n = i32();
            if (n < 0 || n > max || n > b.remaining()) {
                throw new IllegalArgumentException("a field of " + n + " bytes does not fit");
            }
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        String text() {
            byte[] raw = bytes(MAX_PATH);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("a name is not valid UTF-8");
            }
        }

        FileEntry entry() {
            String name = text();
            int kind = u8();
            if (kind >= FileEntry.Kind.values().length) {
                throw new IllegalArgumentException("unknown entry kind " + kind);
            }
            long size = i64();
            long modified = i64();
            int mode = i32();
            boolean hidden = bool();
            boolean link = bool();
            String target = text();
            return new FileEntry(name, FileEntry.Kind.values()[kind], size, modified, mode, hidden, link ? target : null);
        }

        /** The rest of the message, without copying. */
        ByteBuffer rest() {
            ByteBuffer r = b.slice();
            b.position(b.limit());
            return r;
        }

        boolean done() {
            return !b.hasRemaining();
        }
    }
}
