package org.tandemrc.session.files.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;

/**
 * Files on this machine. Three kinds: a Host's shared folders (paths {@code /SHARE/...}), a Guest's
 * destination folder that a Host's names are written into (its own paths, confined to it just as a
 * share is), and the Guest's own disk as its user names it (unconfined). In the two confined kinds
 * every name from the peer must be one plain name ({@link Names}) and every operation walks from the
 * root with {@link SafeFolder}, following no link on the way or at the end: a link is listed, copied
 * and deleted as a link and never leads anywhere.
 */
final class LocalTree implements Tree {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.files");

    /** The suffix of a file being received; it becomes the file only once its hash is verified. */
    static final String PARTIAL = Names.PARTIAL;
    /** A resumed transfer starts again at a multiple of this, whatever a killed writer left after it. */
    static final long RESUME_UNIT = 1024 * 1024;
    /** Folders a delete goes down at most: each level holds a folder open. */
    static final int MAX_DEPTH = 256;
    private static final int CHUNK = 256 * 1024;
    private static final int ZERO_RUN = 4096;
    private static final byte[] ZEROS = new byte[CHUNK];

    /** Share name to its real folder (a Host); null otherwise. */
    private final Map<String, Path> shares;
    /** The real folder a Guest's destination is confined to; null otherwise. */
    private final Path root;
    /** True once the session ended: long work stops. */
    private final BooleanSupplier stopped;

    private LocalTree(Map<String, Path> shares, Path root, BooleanSupplier stopped) {
        this.shares = shares;
        this.root = root;
        this.stopped = stopped;
    }

    /** This machine's files, as the Guest's own user names them. */
    static LocalTree unconfined(BooleanSupplier stopped) {
        return new LocalTree(null, null, stopped);
    }

    /**
     * A Host's shared folders, each under its share name.
     *
     * @throws IOException when a shared folder does not exist
     */
    static LocalTree shares(Map<String, Path> shares, BooleanSupplier stopped) throws IOException {
        Map<String, Path> real = new TreeMap<>();
        for (Map.Entry<String, Path> e : shares.entrySet()) {
            real.put(e.getKey(), e.getValue().toRealPath());
        }
        return new LocalTree(real, null, stopped);
    }

    /**
     * Everything at or below one existing folder, named by paths of this machine that start with its
     * real path: where a Guest writes what a Host sends.
     */
    static LocalTree rooted(Path folder, BooleanSupplier stopped) throws IOException {
        return new LocalTree(null, folder.toRealPath(), stopped);
    }

    private boolean hostShares() {
        return shares != null;
    }

    boolean confined() {
        return shares != null || root != null;
    }

    /** The path of a name in a folder of this tree. */
    @Override
    public String child(String folder, String name) {
        if (hostShares()) {
            return folder.endsWith("/") ? folder + name : folder + "/" + name;
        }
        return Path.of(folder).resolve(name).toString();
    }

    @Override
    public String name(String path) {
        if (hostShares()) {
            return nameOf(path);
        }
        Path name = Path.of(path).getFileName();
        return name == null ? path : name.toString();
    }

    private static String nameOf(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    // ---------------------------------------------------------------- resolving names

    /**
     * A path of this tree: the trusted folder a walk starts from, the folders from there and the final
     * name (null: the folder itself). A null root stands for the Host's list of shares ({@code /}).
     */
    private record Where(Path root, List<String> folders, String name, String path) {
        boolean top() {
            return name == null;
        }
    }

    private Where where(String path) throws FileException {
        if (path.indexOf('\0') >= 0) {
            throw refused(path, "a path with a NUL character");
        }
        if (hostShares()) {
            return inShares(path);
        }
        if (root != null) {
            return inRoot(path);
        }
        Path abs = Path.of(path).toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null) {
            return new Where(abs, List.of(), null, path);
        }
        // The user's own path: links on the way are the user's choice and followed to the deepest
        // folder that exists; below it nothing is followed.
        List<String> missing = new ArrayList<>();
        for (Path p = parent; p != null; p = p.getParent()) {
            try {
                Path real = p.toRealPath();
                java.util.Collections.reverse(missing);
                return new Where(real, missing, abs.getFileName().toString(), path);
            } catch (IOException e) {
                if (p.getFileName() != null) {
                    missing.add(p.getFileName().toString());
                }
            }
        }
        throw new FileException(path + ": no folder of it exists");
    }

    private Where inShares(String path) throws FileException {
        if (!path.startsWith("/")) {
            throw refused(path, "paths on the Host start with / and a shared folder's name");
        }
        String rest = path.length() > 1 && path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        if (rest.isEmpty()) {
            return new Where(null, List.of(), null, path);
        }
        String[] names = rest.split("/", -1);
        checkNames(path, names, 0);
        Path r = shares.get(names[0]);
        if (r == null) {
            throw refused(path, "this Host shares no folder named '" + RefusedPath.printable(names[0]) + "'");
        }
        if (names.length == 1) {
            return new Where(r, List.of(), null, path);
        }
        return new Where(r, List.of(names).subList(1, names.length - 1), names[names.length - 1], path);
    }

    private Where inRoot(String path) throws FileException {
        String r = root.toString();
        if (path.equals(r)) {
            return new Where(root, List.of(), null, path);
        }
        String prefix = r.endsWith("/") ? r : r + "/";
        if (!path.startsWith(prefix) || path.length() == prefix.length()) {
            throw refused(path, "it is outside the destination folder " + r);
        }
        String[] names = path.substring(prefix.length()).split("/", -1);
        checkNames(path, names, 0);
        return new Where(root, List.of(names).subList(0, names.length - 1), names[names.length - 1], path);
    }

    private static void checkNames(String path, String[] names, int from) throws FileException {
        for (int i = from; i < names.length; i++) {
            String problem = Names.problem(names[i]);
            if (problem != null) {
                throw refused(path, problem);
            }
        }
    }

    private static RefusedPath refused(String path, String why) {
        return new RefusedPath("the path '" + RefusedPath.printable(path) + "' is refused: " + why);
    }

    /** The folder a path's final name is in; its missing folders made first when asked. */
    private static SafeFolder folderOf(Where w, boolean make) throws IOException {
        if (!make) {
            return SafeFolder.open(w.root(), w.folders());
        }
        SafeFolder f = SafeFolder.open(w.root(), List.of());
        try {
            for (String n : w.folders()) {
                f.makeFolder(n);
                f = f.descend(n);
            }
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static FileException failed(String path, IOException e) {
        if (e instanceof FileException f) {
            return f;
        }
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file or folder";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            why = "it already exists";
        } else if (e instanceof DirectoryNotEmptyException) {
            why = "the folder is not empty";
        } else if (e instanceof NotDirectoryException) {
            why = "a name on the way is not a folder";
        } else if (e instanceof InterruptedIOException) {
            why = e.getMessage();
        } else {
            why = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return new FileException(RefusedPath.printable(path) + ": " + why, e);
    }

    // ---------------------------------------------------------------- names

    @Override
    public Optional<FileEntry> stat(String path) throws FileException {
        Where w = where(path);
        if (w.root() == null) {
            return Optional.of(new FileEntry("/", FileEntry.Kind.FOLDER, 0, 0, 0555, false, null));
        }
        try (SafeFolder f = folderOf(w, false)) {
            return entry(f, w.name(), w.top() ? nameOf(path) : w.name());
        } catch (NoSuchFileException | NotDirectoryException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failed(path, e);
        }
    }

    private static Optional<FileEntry> entry(SafeFolder f, String name, String shown) throws IOException {
        Optional<BasicFileAttributes> found = f.stat(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        BasicFileAttributes a = found.get();
        int mode = -1;
        PosixFileAttributeView posix = f.posix(name);
        if (posix != null && !a.isSymbolicLink()) {
            mode = mode(posix.readAttributes().permissions());
        }
        FileEntry.Kind kind = a.isSymbolicLink() ? FileEntry.Kind.LINK
                : a.isDirectory() ? FileEntry.Kind.FOLDER : FileEntry.Kind.FILE;
        String target = a.isSymbolicLink() ? f.readLink(name) : null;
        return Optional.of(new FileEntry(shown, kind, kind == FileEntry.Kind.FILE ? a.size() : 0,
                a.lastModifiedTime().toMillis(), mode, shown.startsWith("."), target));
    }

    @Override
    public List<FileEntry> list(String path) throws FileException {
        Where w = where(path);
        List<FileEntry> out = new ArrayList<>();
        if (w.root() == null) {
            for (String share : shares.keySet()) {
                out.add(new FileEntry(share, FileEntry.Kind.FOLDER, 0, 0, 0755, false, null));
            }
            return out;
        }
        try (SafeFolder parent = folderOf(w, false); SafeFolder folder = w.top() ? null : parent.folder(w.name())) {
            SafeFolder f = folder == null ? parent : folder;
            for (String name : f.list()) {
                if (Names.reserved(name)) {
                    continue; // a transfer in progress, not yet a file
                }
                try {
                    entry(f, name, name).ifPresent(out::add);
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw failed(path, e);
        }
        out.sort(Comparator.comparing(FileEntry::name));
        return out;
    }

    @Override
    public void mkdirs(String path) throws FileException {
        Where w = where(path);
        if (w.root() == null || w.top()) {
            return;
        }
        try (SafeFolder f = folderOf(w, true)) {
            f.makeFolder(w.name());
        } catch (IOException e) {
            throw failed(path, e);
        }
    }

    /** Deletes a file or link, or a folder with all it holds; links are removed, never followed. */
    @Override
    public void delete(String path) throws FileException {
        Where w = where(path);
        if (w.root() == null || w.top()) {
            throw refused(path, confined() ? "a shared folder itself cannot be deleted" : "a root cannot be deleted");
        }
        try (SafeFolder f = folderOf(w, false)) {
            Optional<BasicFileAttributes> a = f.stat(w.name());
            if (a.isEmpty()) {
                throw new NoSuchFileException(path);
            }
            if (a.get().isDirectory()) {
                try (SafeFolder sub = f.folder(w.name())) {
                    deleteAll(sub, 1);
                }
                f.deleteFolder(w.name());
            } else {
                f.deleteFile(w.name());
            }
        } catch (IOException e) {
            throw failed(path, e);
        }
    }

    private void deleteAll(SafeFolder f, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new FileException(f.path() + ": folders nested deeper than " + MAX_DEPTH + " are not deleted");
        }
        for (String name : f.list()) {
            if (stopped.getAsBoolean()) {
                throw new InterruptedIOException("the session ended");
            }
            Optional<BasicFileAttributes> a = f.stat(name);
            if (a.isPresent() && a.get().isDirectory()) {
                try (SafeFolder sub = f.folder(name)) {
                    deleteAll(sub, depth + 1);
                }
                f.deleteFolder(name);
            } else if (a.isPresent()) {
                f.deleteFile(name);
            }
        }
    }

    @Override
    public void rename(String from, String to) throws FileException {
        Where a = where(from);
        Where b = where(to);
        if (a.root() == null || b.root() == null || a.top() || b.top()) {
            throw refused(from, "shared folders cannot be renamed");
        }
        try (SafeFolder fa = folderOf(a, false); SafeFolder fb = folderOf(b, false)) {
            fa.move(a.name(), fb, b.name());
        } catch (IOException e) {
            throw failed(from, e);
        }
    }

    /**
     * Makes a link. In a confined tree only one whose target, followed as the system would, stays
     * inside the same root: never absolute, never above the root, never through a link that leads out.
     */
    @Override
    public void symlink(String path, String target) throws FileException {
        Where w = where(path);
        if (w.root() == null || w.top()) {
            throw refused(path, "no link can be made here");
        }
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw refused(path, "a link needs a target without NUL");
        }
        try (SafeFolder f = folderOf(w, true)) {
            if (confined() && !f.staysInside(target)) {
                throw refused(path, "its target '" + RefusedPath.printable(target) + "' leads out of the "
                        + (hostShares() ? "shared folder" : "destination folder")
                        + " (a link is kept only when it leads to a place inside it)");
            }
            f.makeLink(w.name(), target);
        } catch (IOException e) {
            throw failed(path, e);
        }
    }

    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 0400 >> p.ordinal();
        }
        return mode;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission p : PosixFilePermission.values()) {
            if ((mode & (0400 >> p.ordinal())) != 0) {
                set.add(p);
            }
        }
        return set;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    /** The cores a large basis's signature is summed on. */
    static final int SIGNATURE_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    /**
     * The signature of a basis of {@code size} bytes: on all {@link #SIGNATURE_THREADS} cores through positional
     * reads when the channel is a file's, else sequentially.
     */
    private Delta.Signature signature(SeekableByteChannel ch, long size) throws IOException {
        int blockSize = Delta.blockSize(size);
        if (ch instanceof FileChannel file) {
            return Delta.signature((position, b, off, len) -> {
                if (stopped.getAsBoolean()) {
                    throw new InterruptedIOException("the session ended");
                }
                return file.read(ByteBuffer.wrap(b, off, len), position);
            }, size, blockSize, SIGNATURE_THREADS);
        }
        return Delta.signature(stoppable(ch), size, blockSize);
    }

    /** Reads that stop with an {@link InterruptedIOException} once the session ended. */
    private InputStream stoppable(SeekableByteChannel ch) {
        return new FilterInputStream(Channels.newInputStream(ch)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (stopped.getAsBoolean()) {
                    throw new InterruptedIOException("the session ended");
                }
                return super.read(b, off, len);
            }

            @Override
            public void close() {
                // the channel is closed by its owner
            }
        };
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends a file: after the receiver's partial file when that is the start of this one, else as the
     * changes from the receiver's old version, else whole. Runs of zeros go as such.
     */
    void send(String path, Offer offer, boolean delta, FileData out) throws IOException {
        Where w = where(path);
        if (w.root() == null || w.top()) {
            throw new FileException(RefusedPath.printable(path) + " is not a file");
        }
        try (SafeFolder f = folderOf(w, false); SeekableByteChannel ch = f.read(w.name())) {
            BasicFileAttributes basic = f.stat(w.name()).orElseThrow(() -> new NoSuchFileException(path));
            PosixFileAttributeView view = f.posix(w.name());
            int mode = view == null ? -1 : mode(view.readAttributes().permissions());
            long size = ch.size();
            InputStream in = stoppable(ch);
            MessageDigest md = sha256();
            long from = 0;
            if (offer.partialLength() > 0 && offer.partialLength() <= size) {
                MessageDigest prefix = sha256();
                byte[] buf = new byte[CHUNK];
                long left = offer.partialLength();
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    prefix.update(buf, 0, n);
                    left -= n;
                }
                MessageDigest continued = (MessageDigest) prefix.clone();
                if (left == 0 && MessageDigest.isEqual(prefix.digest(), offer.partialSha256())) {
                    from = offer.partialLength();
                    md = continued;
                } else {
                    ch.position(0);
                }
            }
            // Read and hashed ahead by a thread of its own, while this one describes and sends the data.
            byte[] sha256;
            try (ReadAhead source = new ReadAhead(ch, md, stopped, RefusedPath.printable(w.name()))) {
                out.start(from, size);
                Zeros zeros = new Zeros(out);
                if (from == 0 && delta && offer.basis() != null && offer.basis().blocks() > 0) {
                    Delta.delta(source, offer.basis(), zeros);
                } else {
                    for (byte[] b = source.next(); b != null; b = source.next()) {
                        zeros.literal(b, 0, source.length());
                    }
                }
                zeros.flush();
                sha256 = source.digest();
            }
            out.end(new FileData.End(size, sha256, basic.lastModifiedTime().toMillis(), mode));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw failed(path, e);
        }
    }

    /** Passes copies through and splits literal data into literal bytes and whole 4 KiB runs of zeros. */
    private static final class Zeros implements Delta.Sink {
        private final FileData out;
        private long zeroRun;

        Zeros(FileData out) {
            this.out = out;
        }

        @Override
        public void copy(long first, int count) throws IOException {
            flush();
            out.copy(first, count);
        }

        @Override
        public void literal(byte[] b, int off, int len) throws IOException {
            int end = off + len;
            int literalFrom = off;
            int i = off;
            while (i < end) {
                int n = Math.min(ZERO_RUN, end - i);
                if (n == ZERO_RUN && Arrays.mismatch(b, i, i + n, ZEROS, 0, n) < 0) {
                    if (literalFrom < i) {
                        flush();
                        out.literal(b, literalFrom, i - literalFrom);
                    }
                    zeroRun += n;
                    literalFrom = i + n;
                }
                i += n;
            }
            if (literalFrom < end) {
                flush();
                out.literal(b, literalFrom, end - literalFrom);
            }
        }

        void flush() throws IOException {
            if (zeroRun > 0) {
                out.zeros(zeroRun);
                zeroRun = 0;
            }
        }
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Prepares to receive a file at {@code path}: its data goes to a partial file next to it, which
     * replaces the file only once complete and verified.
     */
    Receiver receive(String path, boolean delta) throws FileException {
        return receive(path, delta, false);
    }

    /**
     * Prepares to receive a file a Guest offered at the place the person at the Host chose: as
     * {@link #receive}, but a link at that place is refused (never replaced, never written through), and
     * {@link Receiver#discard} leaves nothing behind.
     */
    Receiver receiveOffered(String path) throws FileException {
        return receive(path, false, true);
    }

    private Receiver receive(String path, boolean delta, boolean noLink) throws FileException {
        Where w = where(path);
        if (w.root() == null || w.top()) {
            throw refused(path, "a file cannot be written here");
        }
        SafeFolder folder = null;
        try {
            folder = folderOf(w, true);
            return new Receiver(path, w, folder, delta, noLink);
        } catch (IOException | RuntimeException e) {
            try {
                if (folder != null) {
                    folder.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            if (e instanceof IOException io) {
                throw failed(path, io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Writes one arriving file into a partial file that only this side names, made anew (never
     * opened through a link) in the folder the walk reached, then renamed over the file.
     */
    final class Receiver implements FileData {
        private final String path;
        private final Path store;
        private final SafeFolder folder;
        private final String name;
        private final String partial;
        private final Offer offer;
        private final MessageDigest partialDigest;
        private SeekableByteChannel out;
        private SeekableByteChannel basis;
        private MessageDigest md;
        private long declared;
        private long position;
        private long length;
        private Delta.Sink patcher;
        private boolean finished;
        private boolean closed;
        private final boolean noLink;

        private Receiver(String path, Where w, SafeFolder folder, boolean delta, boolean noLink) throws IOException {
            this.path = path;
            this.noLink = noLink;
            this.store = w.root();
            this.folder = folder;
            this.name = w.name();
            this.partial = "." + name + PARTIAL;
            Optional<BasicFileAttributes> target = folder.stat(name);
            if (target.isPresent() && target.get().isDirectory()) {
                throw new FileException(RefusedPath.printable(path) + ": a folder of that name is in the way");
            }
            refuseLink(target);
            Optional<BasicFileAttributes> p = folder.stat(partial);
            if (p.isPresent() && !p.get().isRegularFile()) {
                throw new RefusedPath("the path '" + RefusedPath.printable(path) + "' is refused: something that is"
                        + " not a plain file (a link?) is in the way of its partial file, which is never written through");
            }
            long usable = p.isPresent() ? p.get().size() / RESUME_UNIT * RESUME_UNIT : 0;
            if (usable > 0) {
                MessageDigest d = sha256();
                try (SeekableByteChannel ch = folder.read(partial)) {
                    InputStream in = stoppable(ch);
                    byte[] buf = new byte[CHUNK];
                    long left = usable;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            throw new IOException("the partial file shrank");
                        }
                        d.update(buf, 0, n);
                        left -= n;
                    }
                }
                try {
                    partialDigest = (MessageDigest) d.clone();
                } catch (CloneNotSupportedException e) {
                    throw new IllegalStateException(e);
                }
                offer = new Offer(usable, d.digest(), null);
            } else if (delta && target.isPresent() && target.get().isRegularFile() && target.get().size() > 0) {
                partialDigest = null;
                long size = target.get().size();
                Delta.Signature sig;
                try (SeekableByteChannel ch = folder.read(name)) {
                    sig = signature(ch, size);
                }
                offer = sig.encode().length <= FileWire.MAX_SIGNATURE ? new Offer(0, new byte[0], sig) : Offer.NONE;
            } else {
                partialDigest = null;
                offer = Offer.NONE;
            }
        }

        Offer offer() {
            return offer;
        }

        String path() {
            return path;
        }

        @Override
        public void start(long from, long size) throws IOException {
            if (from != 0 && from != offer.partialLength()) {
                throw new FileException("the sender resumes at " + from + " but the partial file has "
                        + offer.partialLength() + " bytes");
            }
            if (from > size) {
                throw new FileException("the sender resumes at " + from + " in a file of " + size + " bytes");
            }
            long free = Files.getFileStore(store).getUsableSpace() + from;
            if (size > free) {
                throw new FileException(RefusedPath.printable(path) + ": the file has " + size + " bytes, more than the "
                        + free + " this disk has free; the file was left as it was");
            }
            if (from == 0) {
                if (folder.stat(partial).isPresent()) {
                    folder.deleteFile(partial);
                }
                out = folder.create(partial);
                md = sha256();
            } else {
                out = folder.update(partial);
                out.truncate(from);
                md = partialDigest;
            }
            declared = size;
            position = from;
            length = from;
        }

        private final OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Receiver.this.write(b, off, len);
            }
        };

        private void within(long n) throws FileException {
            if (n > declared - position) {
                throw new FileException(RefusedPath.printable(path) + ": the sender sends more than the " + declared
                        + " bytes it said the file has; the file was left as it was");
            }
        }

        private void write(byte[] b, int off, int len) throws IOException {
            if (out == null) {
                throw new FileException("file data before its start");
            }
            within(len);
            out.position(position);
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
            md.update(b, off, len);
            position += len;
            length = position;
        }

        @Override
        public void copy(long first, int count) throws IOException {
            if (offer.basis() == null || out == null) {
                throw new FileException("the sender copies from an old version that was not offered");
            }
            if (patcher == null) {
                basis = folder.read(name);
                SeekableByteChannel b = basis;
                patcher = Delta.patcher(offer.basis().blockSize(), offer.basis().length(), (pos, buf, off, len) -> {
                    b.position(pos);
                    return b.read(ByteBuffer.wrap(buf, off, len));
                }, sink);
            }
            patcher.copy(first, count);
        }

        @Override
        public void literal(byte[] b, int off, int len) throws IOException {
            write(b, off, len);
        }

        @Override
        public void zeros(long n) throws IOException {
            if (n < 0 || out == null) {
                throw new FileException("a run of zeros out of place");
            }
            within(n);
            // A hole: the bytes read as zeros without being written (sparse where the file system can).
            long left = n;
            while (left > 0) {
                if (stopped.getAsBoolean()) {
                    throw new InterruptedIOException("the session ended");
                }
                int k = (int) Math.min(ZEROS.length, left);
                md.update(ZEROS, 0, k);
                left -= k;
            }
            position += n;
        }

        @Override
        public void end(End end) throws IOException {
            if (out == null) {
                throw new FileException("the end of a file that did not start");
            }
            if (position != length) {
                out.position(position - 1); // a file that ends in a hole
                out.write(ByteBuffer.wrap(new byte[1]));
                length = position;
            }
            closeFiles();
            byte[] got = md.digest();
            if (length != end.size() || !MessageDigest.isEqual(got, end.sha256())) {
                folder.deleteFile(partial);
                throw new FileException(RefusedPath.printable(path) + " arrived damaged (" + (length != end.size()
                        ? length + " bytes instead of " + end.size() : "its SHA-256 differs")
                        + "); the file was left as it was");
            }
            try {
                folder.basic(partial).setTimes(FileTime.fromMillis(end.modified()), null, null);
                PosixFileAttributeView posix = folder.posix(partial);
                if (end.mode() >= 0 && posix != null) {
                    posix.setPermissions(permissions(end.mode()));
                }
                refuseLink(folder.stat(name));
                folder.move(partial, folder, name);
            } catch (IOException e) {
                throw failed(path, e);
            }
            finished = true;
            closeFolder();
        }

        private void refuseLink(Optional<BasicFileAttributes> target) throws FileException {
            if (noLink && target.isPresent() && target.get().isSymbolicLink()) {
                throw new RefusedPath("the path '" + RefusedPath.printable(path) + "' is refused: a link is in the way,"
                        + " and a file is never written through or over one");
            }
        }

        long written() {
            return position;
        }

        /**
         * Stops without a result: the partial file stays for a later resume unless it was found
         * damaged.
         */
        void abort() {
            closeFiles();
            closeFolder();
        }

        /** Stops without a result and deletes what arrived: nothing is left for a resume. */
        void discard() {
            closeFiles();
            if (!finished && !closed) {
                try {
                    if (folder.stat(partial).isPresent()) {
                        folder.deleteFile(partial);
                    }
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "a partial file could not be deleted: " + e.getMessage());
                }
            }
            closeFolder();
        }

        boolean finished() {
            return finished;
        }

        private void closeFiles() {
            try {
                if (out != null) {
                    out.close();
                }
                if (basis != null) {
                    basis.close();
                }
            } catch (IOException e) {
                // closing is best effort: the data already went through write()
            } finally {
                out = null;
                basis = null;
            }
        }

        private void closeFolder() {
            if (!closed) {
                closed = true;
                try {
                    folder.close();
                } catch (IOException e) {
                    // nothing was left to write
                }
            }
        }
    }
}
