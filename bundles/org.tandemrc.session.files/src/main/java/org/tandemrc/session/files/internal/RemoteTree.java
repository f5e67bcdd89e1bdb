package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionHandler;

/**
 * The Guest's view of a Host's shared folders: each call one request and its answer. Answers queue
 * here as they arrive and are read by the calling thread; the flow-control acknowledgements of a file
 * the Guest sends go straight to its {@link Window}.
 */
final class RemoteTree implements SessionHandler, Tree {

    private static final ByteBuffer CLOSED = ByteBuffer.allocate(0);

    private final BlockingQueue<ByteBuffer> inbox = new LinkedBlockingQueue<>();
    /** Bytes in the inbox: a Host within its flow-control window stays below {@link HostFiles#MAX_QUEUED}. */
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private final Window window = new Window();
    private volatile Channel channel;
    private volatile String closedReason;

    void attach(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void received(ByteBuffer message) {
        if (message.hasRemaining() && (message.get(message.position()) & 0xff) == FileWire.ACK) {
            message.get();
            try {
                window.acknowledged(Math.max(0, new FileWire.In(message).i64()));
            } catch (IllegalArgumentException e) {
                close("malformed file-transfer message: " + e.getMessage());
            }
            return;
        }
        if (queued.addAndGet(message.remaining()) > HostFiles.MAX_QUEUED) {
            close("the Host sent more file data than its flow-control window allows");
            return;
        }
        inbox.add(ByteBuffer.allocate(message.remaining()).put(message).flip());
    }

    @Override
    public void closed(String reason) {
        closedReason = reason;
        window.close("the session ended: " + reason);
        inbox.add(CLOSED);
    }

    boolean isOpen() {
        return closedReason == null;
    }

    void close(String reason) {
        Channel c = channel;
        if (c != null) {
            c.close(reason);
        }
    }

    private void send(ByteBuffer m) throws FileException {
        if (closedReason != null) {
            throw new FileException("the file-transfer session ended: " + closedReason);
        }
        channel.send(m);
    }

    /** An answer: its type and the rest of it. */
    private record Answer(int type, FileWire.In in, int size) {
    }

    /** The next answer, of one of the expected types; throws the Host's error as a {@link FileException}. */
    private Answer next(int... expected) throws IOException {
        ByteBuffer m;
        try {
            m = inbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        if (m == CLOSED) {
            inbox.add(CLOSED);
            throw new FileException("the file-transfer session ended: " + closedReason);
        }
        int size = m.remaining();
        queued.addAndGet(-size);
        FileWire.In in = new FileWire.In(m);
        int type = in.u8();
        if (type == FileWire.ERROR) {
            // Shown on a terminal or in the console: the Host's text never raw.
            throw new FileException(RefusedPath.printable(in.text()));
        }
        for (int e : expected) {
            if (e == type) {
                return new Answer(type, in, size);
            }
        }
        close("unexpected answer " + type);
        throw new FileException("the Host answered out of turn (message " + type + ")");
    }

    private FileWire.In answer(int expected) throws IOException {
        return next(expected).in();
    }

    @Override
    public Optional<FileEntry> stat(String path) throws IOException {
        send(new FileWire.Out(FileWire.STAT).text(path).build());
        FileWire.In in = answer(FileWire.ENTRY);
        if (!in.bool()) {
            return Optional.empty();
        }
        FileEntry e = checked(in.entry(), path);
        String asked = name(path);
        if (!e.name().equals(asked) && !(path.equals("/") && e.name().equals("/"))) {
            throw hostLied(path, "it answered about '" + RefusedPath.printable(e.name()) + "' instead");
        }
        return Optional.of(e);
    }

    @Override
    public List<FileEntry> list(String path) throws IOException {
        send(new FileWire.Out(FileWire.LIST).text(path).build());
        List<FileEntry> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        boolean more;
        do {
            FileWire.In in = answer(FileWire.ENTRIES);
            more = in.bool();
            int n = in.i32();
            if (n < 0 || n > FileWire.ENTRIES_PER_MESSAGE) {
                throw new FileException("the Host sent a malformed folder listing");
            }
            for (int i = 0; i < n; i++) {
                FileEntry e = checked(in.entry(), path);
                String problem = Names.problem(e.name());
                if (problem != null) {
                    throw hostLied(path, "it listed '" + RefusedPath.printable(e.name()) + "', which is not one plain"
                            + " name: " + problem);
                }
                if (!names.add(e.name())) {
                    throw hostLied(path, "it listed the name '" + RefusedPath.printable(e.name()) + "' twice");
                }
                out.add(e);
            }
        } while (more);
        return out;
    }

    /**
     * An entry as the Host describes it, checked before anything on this side acts on it: sizes not
     * negative, a link's target only on a link and without NUL or control characters.
     */
    private FileEntry checked(FileEntry e, String asked) throws FileException {
        if (e.size() < 0) {
            throw hostLied(asked, "it gave '" + RefusedPath.printable(e.name()) + "' a negative size");
        }
        if ((e.kind() == FileEntry.Kind.LINK) != (e.target() != null)
                || e.target() != null && (e.target().isEmpty() || Names.hasControl(e.target()))) {
            throw hostLied(asked, "it gave '" + RefusedPath.printable(e.name()) + "' a malformed link target");
        }
        return e;
    }

    /** A Host answer that is not about what was asked: the operation stops before it writes anything. */
    private FileException hostLied(String asked, String what) {
        return new FileException("the Host's answer for '" + RefusedPath.printable(asked) + "' is refused: " + what
                + "; nothing was written for it");
    }

    @Override
    public void mkdirs(String path) throws IOException {
        send(new FileWire.Out(FileWire.MKDIR).text(path).build());
        answer(FileWire.OK);
    }

    @Override
    public void delete(String path) throws IOException {
        send(new FileWire.Out(FileWire.DELETE).text(path).build());
        answer(FileWire.OK);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        send(new FileWire.Out(FileWire.RENAME).text(from).text(to).build());
        answer(FileWire.OK);
    }

    @Override
    public void symlink(String path, String target) throws IOException {
        send(new FileWire.Out(FileWire.SYMLINK).text(path).text(target).build());
        answer(FileWire.OK);
    }

    @Override
    public String child(String folder, String name) {
        return folder.endsWith("/") ? folder + name : folder + "/" + name;
    }

    @Override
    public String name(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /**
     * Sends a local file to the Host.
     *
     * @return bytes of file data that crossed the link
     */
    long put(LocalTree local, String localPath, String hostPath, boolean delta, FileData progress)
            throws IOException {
        send(new FileWire.Out(FileWire.PUT).text(hostPath).bool(delta).build());
        Offer offer = Offer.read(answer(FileWire.OFFER));
        DataLink.Sender sender = new DataLink.Sender(channel, window);
        try {
            local.send(localPath, offer, delta, new Tee(sender, progress));
        } catch (IOException e) {
            if (isOpen()) {
                // The Host waits for this file's data: it keeps what arrived for a later resume.
                send(new FileWire.Out(FileWire.ABANDON).build());
                answer(FileWire.OK);
            }
            throw e;
        }
        answer(FileWire.OK);
        return sender.wireBytes();
    }

    /**
     * Fetches a Host file into a local receiver.
     *
     * @return bytes of file data that crossed the link
     */
    long get(String hostPath, LocalTree.Receiver into, boolean delta, FileData progress) throws IOException {
        FileWire.Out req = new FileWire.Out(FileWire.GET).text(hostPath).bool(delta);
        into.offer().write(req);
        send(req.build());
        long wire = 0;
        long unacknowledged = 0;
        FileData to = new Tee(into, progress);
        IOException failure = null;
        while (true) {
            Answer a;
            try {
                a = next(FileWire.DATA_START, FileWire.DATA_COPY, FileWire.DATA_LITERAL, FileWire.DATA_ZEROS,
                        FileWire.DATA_END);
            } catch (FileException e) {
                // The Host's error in place of the rest of the data (or the session ended).
                into.abort();
                throw failure != null ? failure : e;
            }
            wire += a.size();
            unacknowledged += a.size();
            boolean end = a.type() == FileWire.DATA_END;
            if (failure == null) {
                try {
                    DataLink.apply(a.type(), a.in(), to);
                } catch (IOException e) {
                    failure = e;
                    into.abort();
                    if (!end) {
                        send(new FileWire.Out(FileWire.CANCEL).build());
                    }
                }
            }
            if (unacknowledged >= FileWire.ACK_EVERY || end) {
                send(new FileWire.Out(FileWire.ACK).i64(unacknowledged).build());
                unacknowledged = 0;
            }
            if (end) {
                if (failure != null) {
                    throw failure;
                }
                return wire;
            }
        }
    }

    /** Passes a file's data on and tells a second listener (progress) as well. */
    static final class Tee implements FileData {
        private final FileData to;
        private final FileData also;

        Tee(FileData to, FileData also) {
            this.to = to;
            this.also = also;
        }

        @Override
        public void start(long from, long size) throws IOException {
            to.start(from, size);
            also.start(from, size);
        }

        @Override
        public void copy(long first, int count) throws IOException {
            to.copy(first, count);
            also.copy(first, count);
        }

        @Override
        public void literal(byte[] b, int off, int len) throws IOException {
            to.literal(b, off, len);
            also.literal(b, off, len);
        }

        @Override
        public void zeros(long n) throws IOException {
            to.zeros(n);
            also.zeros(n);
        }

        @Override
        public void end(End end) throws IOException {
            to.end(end);
            also.end(end);
        }
    }
}
