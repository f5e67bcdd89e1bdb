package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.support.buffer.Spares;

/**
 * The Host's side of a file-transfer session: the Guest's requests against the shared folders, one
 * at a time on the session's own thread (disk work never blocks the connection). Flow-control
 * acknowledgements and cancels are handled at once, as they arrive. When the session ends, the work
 * in progress stops at its next chunk and queued messages are dropped.
 */
final class HostFiles implements SessionHandler {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.files");

    private final SessionContext context;
    private final LocalTree tree;
    private final BiConsumer<String, String> refusals;
    private final ExecutorService worker;
    private final Window window = new Window();
    private final AtomicBoolean cancel = new AtomicBoolean();
    private volatile boolean ended;
    /** Bytes of messages waiting for the worker: a Guest within its flow-control window stays below it. */
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    /**
     * Buffers for the data messages copied off the connection's thread for the worker: a whole read-ahead
     * chunk and its header fit one. At a few hundred megabytes a second a fresh array per message was
     * most of what a receiving Host allocated, and its collections stalled the screen beside it.
     */
    private final Spares spares = new Spares(
            ReadAhead.CHUNK + 1024, 8);
    static final long MAX_QUEUED = 2L * FileWire.WINDOW;
    /** The file the Guest is sending, between its offer and its end; used on the worker only. */
    private LocalTree.Receiver receiving;
    private String receivingFailed;
    private long unacknowledged;
    /** Where the file being received goes when the Guest offered it (nothing of it may stay), else null. */
    private Path offeredTo;
    private long offeredSize;
    private final Offers offers;
    /** Why this Host serves nothing but offered files (it shares no folder), or null when it shares some. */
    private final String noShares;

    /** What a Host does with files a Guest offers. */
    interface Offers {
        /**
         * Asks the person at the Host, waiting for their answer.
         *
         * @return the file to write, or empty when refused
         */
        Optional<Path> ask(String name, long size) throws InterruptedException;

        /** Records an audit event about the offer. */
        void audit(String code, Severity severity, String detail);
    }

    /**
     * @param shares   share name to folder
     * @param refusals told of each refused path (the Guest's name, the reason), for the audit log
     * @param offers    asks about and audits files the Guest offers
     * @param noShares  when the Host shares nothing: the reason every request but an offered file is refused with
     * @throws IOException when a shared folder does not exist
     */
    HostFiles(SessionContext context, java.util.Map<String, Path> shares,
            BiConsumer<String, String> refusals, Offers offers, String noShares) throws IOException {
        this.context = context;
        this.tree = LocalTree.shares(shares, () -> ended);
        this.refusals = refusals;
        this.offers = offers;
        this.noShares = noShares;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tandem-files-" + context.guestName());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void received(ByteBuffer message) {
        if (!message.hasRemaining()) {
            context.channel().close("an empty file-transfer message");
            return;
        }
        int type = message.get(message.position()) & 0xff;
        if (type == FileWire.ACK) {
            try {
                if (FileWire.decode(message) instanceof FileWire.Ack a) {
                    window.acknowledged(Math.max(0, a.bytes()));
                }
            } catch (ProtocolException e) {
                context.channel().close("malformed file-transfer message: " + e.getMessage());
            }
            return;
        }
        if (type == FileWire.CANCEL) {
            cancel.set(true);
            return;
        }
        int size = message.remaining();
        if (queued.addAndGet(size) > MAX_QUEUED) {
            context.channel().close("the Guest sent more file data than its flow-control window allows");
            return;
        }
        ByteBuffer copy = spares.copyOf(message);
        try {
            worker.execute(() -> {
                try {
                    if (!ended) {
                        handle(copy);
                    }
                } finally {
                    queued.addAndGet(-size);
                    spares.release(copy);
                }
            });
        } catch (RejectedExecutionException e) {
            // the session is closing
        }
    }

    private void refused(RefusedPath e) {
        LOG.log(System.Logger.Level.WARNING, RefusedPath.printable(context.guestName()) + ": " + e.getMessage());
        refusals.accept(context.guestName(), e.getMessage());
    }

    private void handle(ByteBuffer m) {
        int type = m.get(m.position()) & 0xff;
        try {
            FileWire.Message message = FileWire.decode(m);
            if (message instanceof FileWire.Data d) {
                data(d, m.limit());
                return;
            }
            if (message instanceof FileWire.Abandon) {
                if (receiving != null) {
                    stopReceiving("the Guest gave up sending it");
                    receiving = null;
                }
                ok();
                return;
            }
            if (receiving != null) {
                throw new IllegalArgumentException("a request in the middle of a file's data");
            }
            if (message instanceof FileWire.OfferFile o) {
                offered(o);
            } else if (noShares != null) {
                context.channel().close(noShares);
            } else if (message instanceof FileWire.Stat s) {
                send(FileWire.encode(new FileWire.Entry(tree.stat(s.path()))));
            } else if (message instanceof FileWire.ListFolder l) {
                List<FileEntry> entries = tree.list(l.path());
                int i = 0;
                do {
                    int n = Math.min(FileWire.ENTRIES_PER_MESSAGE, entries.size() - i);
                    send(FileWire.encode(new FileWire.Entries(i + n < entries.size(), entries.subList(i, i + n))));
                    i += n;
                } while (i < entries.size());
            } else if (message instanceof FileWire.Mkdir d) {
                tree.mkdirs(d.path());
                ok();
            } else if (message instanceof FileWire.Delete d) {
                tree.delete(d.path());
                ok();
            } else if (message instanceof FileWire.Rename r) {
                tree.rename(r.from(), r.to());
                ok();
            } else if (message instanceof FileWire.Symlink l) {
                tree.symlink(l.path(), l.target());
                ok();
            } else if (message instanceof FileWire.Put p) {
                receiving = tree.receive(p.path(), p.delta());
                receivingFailed = null;
                unacknowledged = 0;
                send(FileWire.encode(new FileWire.OfferAnswer(receiving.offer())));
            } else if (message instanceof FileWire.Get g) {
                cancel.set(false);
                DataLink.Sender sender = new DataLink.Sender(context.channel(), window);
                try {
                    tree.send(g.path(), g.offer(), g.delta(), new Cancellable(sender));
                } catch (IOException e) {
                    if (e instanceof RefusedPath r) {
                        refused(r);
                    }
                    // The Guest reads the error in place of the rest of the data.
                    error(e);
                }
            } else {
                throw new IllegalArgumentException("unknown file-transfer request " + type);
            }
        } catch (RefusedPath e) {
            refused(e);
            error(e);
        } catch (IOException e) {
            error(e);
        } catch (ProtocolException | IllegalArgumentException e) {
            context.channel().close("malformed file-transfer message: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "file transfer failed", e);
            context.channel().close("the Host's file transfer failed: " + e);
        }
    }

    /** A file's data from the Guest; an error stops the file but the rest of its data is read past. */
    private void data(FileWire.Data data, int wireSize) throws IOException {
        if (receiving == null) {
            throw new IllegalArgumentException("file data without a file");
        }
        boolean end = false;
        if (receivingFailed == null) {
            try {
                if (offeredTo != null && data instanceof FileWire.Start s && (s.from() != 0 || s.size() != offeredSize)) {
                    throw new FileException("the Guest sends " + s.size() + " bytes from " + s.from() + " after offering "
                            + offeredSize + " bytes; nothing was saved");
                }
                end = DataLink.apply(data, receiving);
            } catch (IOException e) {
                if (e instanceof RefusedPath r) {
                    refused(r);
                }
                receivingFailed = e.getMessage();
                stopReceiving(receivingFailed);
            }
        }
        end |= data instanceof FileWire.End;
        unacknowledged += wireSize;
        if (unacknowledged >= FileWire.ACK_EVERY || end) {
            send(FileWire.encode(new FileWire.Ack(unacknowledged)));
            unacknowledged = 0;
        }
        if (end) {
            LocalTree.Receiver r = receiving;
            receiving = null;
            if (receivingFailed != null) {
                send(FileWire.encode(new FileWire.Error(receivingFailed)));
            } else {
                LOG.log(System.Logger.Level.INFO, RefusedPath.printable(context.guestName()) + " wrote "
                        + RefusedPath.printable(r.path()));
                if (offeredTo != null) {
                    offers.audit(EventCodes.TANDEM_FILE_RECEIVED, Severity.INFO, offeredTo + ", " + offeredSize + " bytes");
                    offeredTo = null;
                }
                ok();
            }
        }
    }

    /**
     * Asks the person at the Host about a file the Guest offers and, when they choose a place, gets ready to
     * write it there. The Guest waits for the answer; this session's worker waits with it.
     */
    private void offered(FileWire.OfferFile o) throws IOException {
        if (o.size() < 0) {
            throw new IllegalArgumentException("a file offered with a negative size");
        }
        String name = Names.offered(o.name());
        offers.audit(EventCodes.TANDEM_FILE_OFFERED, Severity.INFO, name + ", " + o.size() + " bytes");
        Optional<Path> where;
        try {
            where = offers.ask(name, o.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (ended) {
            return;
        }
        if (where.isEmpty()) {
            offers.audit(EventCodes.TANDEM_FILE_OFFER_REFUSED, Severity.SECURITY, name);
            send(FileWire.encode(new FileWire.Refused("the person at the Host did not accept " + name)));
            return;
        }
        Path target = where.get();
        Path folder = target.getParent();
        offers.audit(EventCodes.TANDEM_FILE_OFFER_ACCEPTED, Severity.INFO, target.toString());
        try {
            if (!target.isAbsolute() || folder == null || target.getFileName() == null) {
                throw new FileException("the place chosen for " + name + " is not a file in a folder");
            }
            // The folder is the person's own choice: its real path now, the file's name never followed.
            LocalTree chosen = LocalTree.rooted(folder, () -> ended);
            receiving = chosen.receiveOffered(folder.toRealPath().resolve(target.getFileName().toString()).toString());
        } catch (IOException e) {
            offers.audit(EventCodes.TANDEM_FILE_RECEIVE_FAILED, Severity.WARNING, target + ": " + e.getMessage());
            throw e;
        }
        receivingFailed = null;
        unacknowledged = 0;
        offeredTo = target;
        offeredSize = o.size();
        ok();
    }

    /**
     * Stops the file being received without a result: a file the Guest offered is deleted (and the failure
     * audited), one it put keeps its partial file for a resume.
     */
    private void stopReceiving(String why) {
        if (offeredTo != null) {
            receiving.discard();
            offers.audit(EventCodes.TANDEM_FILE_RECEIVE_FAILED, Severity.WARNING, offeredTo + ": " + why);
            offeredTo = null;
        } else {
            receiving.abort();
        }
    }

    /** Stops a file the Guest cancelled at the next piece of data. */
    private final class Cancellable implements FileData {
        private final FileData to;

        Cancellable(FileData to) {
            this.to = to;
        }

        private void check() throws FileException {
            if (cancel.get()) {
                throw new FileException("cancelled by the Guest");
            }
            if (ended) {
                throw new FileException("the session ended");
            }
        }

        @Override
        public void start(long from, long size) throws IOException {
            check();
            to.start(from, size);
        }

        @Override
        public void copy(long first, int count) throws IOException {
            check();
            to.copy(first, count);
        }

        @Override
        public void literal(byte[] b, int off, int len) throws IOException {
            check();
            to.literal(b, off, len);
        }

        @Override
        public void zeros(long n) throws IOException {
            check();
            to.zeros(n);
        }

        @Override
        public void end(End end) throws IOException {
            to.end(end);
        }
    }

    private void ok() {
        send(FileWire.encode(new FileWire.Ok()));
    }

    private void error(IOException e) {
        send(FileWire.encode(new FileWire.Error(e.getMessage() == null ? e.toString() : e.getMessage())));
    }

    private void send(ByteBuffer m) {
        context.channel().send(m);
    }

    @Override
    public void closed(String reason) {
        ended = true;
        window.close("the session ended: " + reason);
        try {
            worker.execute(() -> {
                if (receiving != null) {
                    stopReceiving("the session ended: " + reason); // a put's partial file stays for a resume
                    receiving = null;
                }
            });
        } catch (RejectedExecutionException e) {
            // already shut down
        }
        worker.shutdown();
    }
}
