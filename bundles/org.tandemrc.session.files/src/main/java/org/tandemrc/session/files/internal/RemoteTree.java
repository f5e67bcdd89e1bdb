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
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.protocol.ProtocolException;

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
            try {
                if (FileWire.decode(message) instanceof FileWire.Ack a) {
                    window.acknowledged(Math.max(0, a.bytes()));
                }
            } catch (ProtocolException e) {
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

    /** An answer and its size on the wire. */
    private record Answer(FileWire.Message message, int size) {
    }

    /** The next answer, of the expected kind; throws the Host's error as a {@link FileException}. */
    private Answer next(Class<? extends FileWire.Message> expected) throws IOException {
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
        int type = size == 0 ? -1 : m.get(m.position()) & 0xff;
        FileWire.Message message;
        try {
            message = FileWire.decode(m);
        } catch (ProtocolException e) {
            close("malformed file-transfer message: " + e.getMessage());
            throw new FileException("the Host sent a malformed message: " + RefusedPath.printable(e.getMessage()));
        }
        if (message instanceof FileWire.Error error) {
            // Shown on a terminal or in the console: the Host's text never raw.
            throw new FileException(RefusedPath.printable(error.sentence()));
        }
        if (expected.isInstance(message)) {
            return new Answer(message, size);
        }
        close("unexpected answer " + type);
        throw new FileException("the Host answered out of turn (message " + type + ")");
    }

    private <M extends FileWire.Message> M answer(Class<M> expected) throws IOException {
        return expected.cast(next(expected).message());
    }

    @Override
    public Optional<FileEntry> stat(String path) throws IOException {
        send(FileWire.encode(new FileWire.Stat(path)));
        Optional<FileEntry> found = answer(FileWire.Entry.class).entry();
        if (found.isEmpty()) {
            return found;
        }
        FileEntry e = checked(found.get(), path);
        String asked = name(path);
        if (!e.name().equals(asked) && !(path.equals("/") && e.name().equals("/"))) {
            throw hostLied(path, "it answered about '" + RefusedPath.printable(e.name()) + "' instead");
        }
        return Optional.of(e);
    }

    @Override
    public List<FileEntry> list(String path) throws IOException {
        send(FileWire.encode(new FileWire.ListFolder(path)));
        List<FileEntry> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        boolean more;
        do {
            FileWire.Entries part = answer(FileWire.Entries.class);
            more = part.more();
            for (FileEntry listed : part.entries()) {
                FileEntry e = checked(listed, path);
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
        send(FileWire.encode(new FileWire.Mkdir(path)));
        answer(FileWire.Ok.class);
    }

    @Override
    public void delete(String path) throws IOException {
        send(FileWire.encode(new FileWire.Delete(path)));
        answer(FileWire.Ok.class);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        send(FileWire.encode(new FileWire.Rename(from, to)));
        answer(FileWire.Ok.class);
    }

    @Override
    public void symlink(String path, String target) throws IOException {
        send(FileWire.encode(new FileWire.Symlink(path, target)));
        answer(FileWire.Ok.class);
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
        send(FileWire.encode(new FileWire.Put(hostPath, delta)));
        return sendData(local, localPath, answer(FileWire.OfferAnswer.class).offer(), delta, progress);
    }

    /**
     * Offers a local file to the person at the Host and, once they chose where to save it, sends it whole.
     *
     * @return the length of the file the Host saved (what its sender's end said, which the Host checked)
     * @throws GuestException when they refused it or nobody answered in time
     */
    long offer(LocalTree local, String localPath, String name, long size)
            throws IOException, GuestException {
        send(FileWire.encode(new FileWire.OfferFile(name, size)));
        FileWire.Message answer = next(FileWire.Answer.class).message();
        if (answer instanceof FileWire.Refused r) {
            throw new GuestException(GuestException.Reason.SESSION_REFUSED, RefusedPath.printable(r.sentence()));
        }
        if (!(answer instanceof FileWire.Ok)) {
            close("unexpected answer to an offered file");
            throw new FileException("the Host answered out of turn");
        }
        long[] length = {0};
        sendData(local, localPath, Offer.NONE, false, new FileData() {
            @Override
            public void start(long from, long size) {
            }

            @Override
            public void copy(long first, int count) {
            }

            @Override
            public void literal(byte[] b, int off, int len) {
            }

            @Override
            public void zeros(long n) {
            }

            @Override
            public void end(End end) {
                length[0] = end.size();
            }
        });
        return length[0];
    }

    /**
     * Sends a local file's data after the Host said what it has of it, and waits for the Host's verdict;
     * {@code progress} (or null) follows it.
     */
    private long sendData(LocalTree local, String localPath, Offer offer, boolean delta, FileData progress)
            throws IOException {
        DataLink.Sender sender = new DataLink.Sender(channel, window);
        try {
            local.send(localPath, offer, delta, progress == null ? sender : new Tee(sender, progress));
        } catch (IOException e) {
            if (isOpen()) {
                // The Host waits for this file's data: it keeps what arrived for a later resume.
                send(FileWire.encode(new FileWire.Abandon()));
                answer(FileWire.Ok.class);
            }
            throw e;
        }
        answer(FileWire.Ok.class);
        return sender.wireBytes();
    }

    /**
     * Fetches a Host file into a local receiver.
     *
     * @return bytes of file data that crossed the link
     */
    long get(String hostPath, LocalTree.Receiver into, boolean delta, FileData progress) throws IOException {
        send(FileWire.encode(new FileWire.Get(hostPath, delta, into.offer())));
        long wire = 0;
        long unacknowledged = 0;
        FileData to = new Tee(into, progress);
        IOException failure = null;
        while (true) {
            Answer a;
            try {
                a = next(FileWire.Data.class);
            } catch (FileException e) {
                // The Host's error in place of the rest of the data (or the session ended).
                into.abort();
                throw failure != null ? failure : e;
            }
            wire += a.size();
            unacknowledged += a.size();
            boolean end = a.message() instanceof FileWire.End;
            if (failure == null) {
                try {
                    DataLink.apply((FileWire.Data) a.message(), to);
                } catch (IOException e) {
                    failure = e;
                    into.abort();
                    if (!end) {
                        send(FileWire.encode(new FileWire.Cancel()));
                    }
                }
            }
            if (unacknowledged >= FileWire.ACK_EVERY || end) {
                send(FileWire.encode(new FileWire.Ack(unacknowledged)));
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
