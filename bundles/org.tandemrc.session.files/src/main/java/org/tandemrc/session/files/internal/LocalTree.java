package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
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

import org.apache.commons.vfs2.FileObject;
import org.apache.commons.vfs2.FileSystemException;
import org.apache.commons.vfs2.FileSystemManager;
import org.apache.commons.vfs2.RandomAccessContent;
import org.apache.commons.vfs2.util.RandomAccessMode;
import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;

/**
 * Files on this machine, through Commons VFS: either all of them (the Guest's own disk, paths as the
 * operating system writes them) or only the shared folders of a Host (paths {@code /SHARE/...}, where
 * every name from the peer is checked and nothing outside a share is ever read or written, not even
 * through a symbolic link). POSIX details VFS does not model (permission bits, links, the atomic
 * rename into place) go through java.nio on the same files.
 */
final class LocalTree implements Tree {

    /** The suffix of a file being received; it becomes the file only once its hash is verified. */
    static final String PARTIAL = ".tandem-part";
    /** A resumed transfer starts again at a multiple of this, whatever a killed writer left after it. */
    static final long RESUME_UNIT = 1024 * 1024;
    private static final int CHUNK = 256 * 1024;
    private static final int ZERO_RUN = 4096;
    private static final byte[] ZEROS = new byte[CHUNK];

    private final FileSystemManager vfs;
    /** Share name to its real folder; null for the unconfined Guest tree. */
    private final Map<String, Path> shares;

    private LocalTree(FileSystemManager vfs, Map<String, Path> shares) {
        this.vfs = vfs;
        this.shares = shares;
    }

    /** This machine's files, unconfined: the Guest's own side. */
    static LocalTree unconfined(FileSystemManager vfs) {
        return new LocalTree(vfs, null);
    }

    /**
     * Only the given folders, each under its share name.
     *
     * @throws IOException when a shared folder does not exist
     */
    static LocalTree shares(FileSystemManager vfs, Map<String, Path> shares) throws IOException {
        Map<String, Path> real = new TreeMap<>();
        for (Map.Entry<String, Path> e : shares.entrySet()) {
            real.put(e.getKey(), e.getValue().toRealPath());
        }
        return new LocalTree(vfs, real);
    }

    boolean confined() {
        return shares != null;
    }

    /** The path of a name in a folder of this tree. */
    @Override
    public String child(String folder, String name) {
        if (confined()) {
            return folder.endsWith("/") ? folder + name : folder + "/" + name;
        }
        return Path.of(folder).resolve(name).toString();
    }

    @Override
    public String name(String path) {
        if (confined()) {
            return nameOf(path);
        }
        Path name = Path.of(path).getFileName();
        return name == null ? path : name.toString();
    }

    // ---------------------------------------------------------------- resolving names

    /** A path of this tree on the local disk; null stands for the Host's list of shares ({@code /}). */
    private record Where(Path path, Path root) {
    }

    private Where where(String path) throws FileException {
        if (!confined()) {
            if (path.indexOf('\0') >= 0) {
                throw new FileException("a path with a NUL character: refused");
            }
            return new Where(Path.of(path).toAbsolutePath(), null);
        }
        if (!path.startsWith("/")) {
            throw refused(path, "paths on the Host start with / and a shared folder's name");
        }
        String rest = path.length() > 1 && path.endsWith("/") ? path.substring(1, path.length() - 1) : path.substring(1);
        if (rest.isEmpty()) {
            return new Where(null, null);
        }
        String[] names = rest.split("/", -1);
        for (String n : names) {
            checkName(path, n);
        }
        Path root = shares.get(names[0]);
        if (root == null) {
            throw refused(path, "this Host shares no folder named '" + names[0] + "'");
        }
        Path p = root;
        for (int i = 1; i < names.length; i++) {
            p = p.resolve(names[i]);
        }
        // Every folder on the way must really be inside the share: a link may not lead out.
        Path parent = p.equals(root) ? root : p.getParent();
        try {
            Path realParent = parent.toRealPath();
            if (!realParent.startsWith(root)) {
                throw refused(path, "it leads out of the shared folder through a symbolic link");
            }
        } catch (NoSuchFileException e) {
            // A missing folder is checked when it is created; nothing exists to lead out.
            checkExistingAncestor(path, parent, root);
        } catch (IOException e) {
            throw new FileException(path + ": " + e.getMessage(), e);
        }
        return new Where(p, root);
    }

    private static void checkExistingAncestor(String path, Path p, Path root) throws FileException {
        for (Path a = p; a != null && a.startsWith(root); a = a.getParent()) {
            if (Files.exists(a, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    if (!a.toRealPath().startsWith(root)) {
                        throw refused(path, "it leads out of the shared folder through a symbolic link");
                    }
                } catch (IOException e) {
                    throw new FileException(path + ": " + e.getMessage(), e);
                }
                return;
            }
        }
    }

    private static void checkName(String path, String name) throws FileException {
        if (name.isEmpty()) {
            throw refused(path, "it has an empty name (two slashes)");
        }
        if (name.equals(".") || name.equals("..")) {
            throw refused(path, "'" + name + "' may not be used to leave or name a folder");
        }
        if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw refused(path, "a name holds a NUL or a backslash");
        }
    }

    private static FileException refused(String path, String why) {
        return new RefusedPath("the path '" + printable(path) + "' is refused: " + why);
    }

    /** A path the peer may not use; the Host logs these. */
    static final class RefusedPath extends FileException {
        private static final long serialVersionUID = 1L;

        RefusedPath(String message) {
            super(message);
        }
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }

    /** The final name must not be a link that leads out when it is followed (read, or written through). */
    private Path followed(String path, Where w) throws FileException {
        if (w.root() != null && Files.isSymbolicLink(w.path())) {
            try {
                if (!w.path().toRealPath().startsWith(w.root())) {
                    throw refused(path, "it is a symbolic link that leads out of the shared folder");
                }
            } catch (IOException e) {
                throw new FileException(path + ": " + e.getMessage(), e);
            }
        }
        return w.path();
    }

    private FileObject vfs(Path p) throws FileException {
        try {
            // From the File, not its URI: names stay exactly as the file system has them.
            return vfs.toFileObject(p.toFile());
        } catch (FileSystemException e) {
            throw new FileException(p + ": " + e.getMessage(), e);
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
        } else {
            why = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return new FileException(printable(path) + ": " + why, e);
    }

    // ---------------------------------------------------------------- names

    @Override
    public Optional<FileEntry> stat(String path) throws FileException {
        Where w = where(path);
        if (w.path() == null) {
            return Optional.of(new FileEntry("/", FileEntry.Kind.FOLDER, 0, 0, 0555, false, null));
        }
        return entry(w.path(), w.path().equals(w.root()) ? nameOf(path) : w.path().getFileName().toString());
    }

    private static String nameOf(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static Optional<FileEntry> entry(Path p, String name) throws FileException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = -1;
            PosixFileAttributeView posix = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (posix != null && !a.isSymbolicLink()) {
                mode = mode(posix.readAttributes().permissions());
            }
            FileEntry.Kind kind = a.isSymbolicLink() ? FileEntry.Kind.LINK
                    : a.isDirectory() ? FileEntry.Kind.FOLDER : FileEntry.Kind.FILE;
            String target = a.isSymbolicLink() ? Files.readSymbolicLink(p).toString() : null;
            return Optional.of(new FileEntry(name, kind, kind == FileEntry.Kind.FILE ? a.size() : 0,
                    a.lastModifiedTime().toMillis(), mode, name.startsWith("."), target));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failed(p.toString(), e);
        }
    }

    @Override
    public List<FileEntry> list(String path) throws FileException {
        Where w = where(path);
        List<FileEntry> out = new ArrayList<>();
        if (w.path() == null) {
            for (String share : shares.keySet()) {
                out.add(new FileEntry(share, FileEntry.Kind.FOLDER, 0, 0, 0755, false, null));
            }
            return out;
        }
        Path folder = followed(path, w);
        try {
            FileObject fo = vfs(folder);
            fo.refresh();
            if (!fo.isFolder()) {
                throw new FileException(printable(path) + ": not a folder");
            }
            for (FileObject child : fo.getChildren()) {
                String name = child.getName().getBaseName();
                if (name.endsWith(PARTIAL)) {
                    continue; // a transfer in progress, not yet a file
                }
                entry(folder.resolve(name), name).ifPresent(out::add);
            }
        } catch (FileSystemException e) {
            throw failed(path, e);
        }
        out.sort(Comparator.comparing(FileEntry::name));
        return out;
    }

    @Override
    public void mkdirs(String path) throws FileException {
        Where w = where(path);
        if (w.path() == null || w.path().equals(w.root())) {
            return;
        }
        try {
            vfs(w.path()).createFolder();
        } catch (FileSystemException e) {
            throw failed(path, e);
        }
        // Created folders are checked again: a link placed on the way meanwhile is caught here.
        where(path);
    }

    /** Deletes a file or link, or a folder with all it holds; links are removed, never followed. */
    @Override
    public void delete(String path) throws FileException {
        Where w = where(path);
        if (w.path() == null || w.path().equals(w.root())) {
            throw refused(path, "a shared folder itself cannot be deleted");
        }
        try {
            if (!Files.isDirectory(w.path(), LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(w.path());
                return;
            }
            Files.walkFileTree(w.path(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw failed(path, e);
        }
    }

    @Override
    public void rename(String from, String to) throws FileException {
        Where a = where(from);
        Where b = where(to);
        if (a.path() == null || b.path() == null || a.path().equals(a.root())) {
            throw refused(from, "shared folders cannot be renamed");
        }
        try {
            Files.move(a.path(), b.path(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw failed(from, e);
        }
    }

    @Override
    public void symlink(String path, String target) throws FileException {
        Where w = where(path);
        if (w.path() == null) {
            throw refused(path, "no link can be made here");
        }
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw refused(path, "a link needs a target without NUL");
        }
        if (w.root() != null) {
            Path t = Path.of(target);
            if (t.isAbsolute() || !w.path().getParent().resolve(t).normalize().startsWith(w.root())) {
                throw refused(path, "its target '" + printable(target) + "' leads out of the shared folder");
            }
        }
        try {
            Files.deleteIfExists(w.path());
            Files.createSymbolicLink(w.path(), Path.of(target));
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

    // ---------------------------------------------------------------- sending

    /**
     * Sends a file: after the receiver's partial file when that is the start of this one, else as the
     * changes from the receiver's old version, else whole. Runs of zeros go as such.
     */
    void send(String path, Offer offer, boolean delta, FileData out) throws IOException {
        Where w = where(path);
        if (w.path() == null) {
            throw new FileException("/ is not a file");
        }
        Path p = followed(path, w);
        PosixFileAttributes attrs = null;
        BasicFileAttributes basic;
        try {
            basic = Files.readAttributes(p, BasicFileAttributes.class);
            if (!basic.isRegularFile()) {
                throw new FileException(printable(path) + ": not a file");
            }
            PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
            attrs = view == null ? null : view.readAttributes();
        } catch (IOException e) {
            throw failed(path, e);
        }
        long size = basic.size();
        FileObject fo = vfs(p);
        MessageDigest md = sha256();
        long from = 0;
        InputStream in = null;
        try {
            if (offer.partialLength() > 0 && offer.partialLength() <= size) {
                in = fo.getContent().getInputStream(CHUNK);
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
                    in.close();
                    in = null;
                }
            }
            if (in == null) {
                in = fo.getContent().getInputStream(CHUNK);
            }
            DigestInputStream source = new DigestInputStream(in, md);
            out.start(from);
            Zeros zeros = new Zeros(out);
            if (from == 0 && delta && offer.basis() != null && offer.basis().blocks() > 0) {
                Delta.delta(source, offer.basis(), zeros);
            } else {
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = source.read(buf)) > 0) {
                    zeros.literal(buf, 0, n);
                }
            }
            zeros.flush();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        } finally {
            if (in != null) {
                in.close();
            }
        }
        out.end(new FileData.End(size, md.digest(), basic.lastModifiedTime().toMillis(),
                attrs == null ? -1 : mode(attrs.permissions())));
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
        Where w = where(path);
        if (w.path() == null || w.path().equals(w.root())) {
            throw refused(path, "a file cannot be written here");
        }
        Path target = w.path();
        // The file replaces a link of that name (never writes through it), but not a folder.
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileException(printable(path) + ": a folder of that name is in the way");
        }
        Path partial = target.resolveSibling("." + target.getFileName() + PARTIAL);
        try {
            return new Receiver(path, target, partial, delta);
        } catch (IOException e) {
            throw failed(path, e);
        }
    }

    /** Writes one arriving file. */
    final class Receiver implements FileData {
        private final String path;
        private final Path target;
        private final Path partial;
        private final Offer offer;
        private final MessageDigest partialDigest;
        private RandomAccessContent out;
        private RandomAccessContent basis;
        private MessageDigest md;
        private long position;
        private long length;
        private Delta.Sink patcher;
        private boolean finished;

        private Receiver(String path, Path target, Path partial, boolean delta) throws IOException {
            this.path = path;
            this.target = target;
            this.partial = partial;
            long have = Files.isRegularFile(partial, LinkOption.NOFOLLOW_LINKS) ? Files.size(partial) : 0;
            long usable = have / RESUME_UNIT * RESUME_UNIT;
            if (usable > 0) {
                MessageDigest d = sha256();
                try (InputStream in = Files.newInputStream(partial)) {
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
            } else if (delta && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) > 0) {
                partialDigest = null;
                long size = Files.size(target);
                Delta.Signature sig;
                try (InputStream in = vfs(target).getContent().getInputStream(CHUNK)) {
                    sig = Delta.signature(in, size, Delta.blockSize(size));
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
        public void start(long from) throws IOException {
            if (from != 0 && from != offer.partialLength()) {
                throw new FileException("the sender resumes at " + from + " but the partial file has "
                        + offer.partialLength() + " bytes");
            }
            Files.createDirectories(partial.getParent());
            if (!Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(partial);
            }
            out = vfs(partial).getContent().getRandomAccessContent(RandomAccessMode.READWRITE);
            if (from > 0) {
                md = partialDigest;
            } else {
                md = sha256();
            }
            out.setLength(from);
            out.seek(from);
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

        private void write(byte[] b, int off, int len) throws IOException {
            if (out == null) {
                throw new FileException("file data before its start");
            }
            if (position != length) {
                out.seek(position);
            }
            out.write(b, off, len);
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
                basis = vfs(target).getContent().getRandomAccessContent(RandomAccessMode.READ);
                RandomAccessContent b = basis;
                patcher = Delta.patcher(offer.basis().blockSize(), offer.basis().length(), (pos, buf, off, len) -> {
                    b.seek(pos);
                    b.readFully(buf, off, len);
                    return len;
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
            if (n < 0) {
                throw new FileException("a negative run of zeros");
            }
            // A hole: the bytes read as zeros without being written (sparse where the file system can).
            long left = n;
            while (left > 0) {
                int k = (int) Math.min(ZEROS.length, left);
                md.update(ZEROS, 0, k);
                left -= k;
            }
            position += n;
        }

        @Override
        public void end(End end) throws IOException {
            if (position != length) {
                out.setLength(position); // a file that ends in a hole
                length = position;
            }
            closeFiles();
            byte[] got = md.digest();
            if (length != end.size() || !MessageDigest.isEqual(got, end.sha256())) {
                Files.deleteIfExists(partial);
                throw new FileException(printable(path) + " arrived damaged (" + (length != end.size()
                        ? length + " bytes instead of " + end.size() : "its SHA-256 differs")
                        + "); the file was left as it was");
            }
            try {
                if (end.mode() >= 0 && Files.getFileAttributeView(partial, PosixFileAttributeView.class) != null) {
                    Files.setPosixFilePermissions(partial, permissions(end.mode()));
                }
                Files.setLastModifiedTime(partial, FileTime.fromMillis(end.modified()));
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw failed(path, e);
            }
            finished = true;
        }

        long written() {
            return position;
        }

        /**
         * Stops without a result: the partial file stays for a later resume unless it was found
         * damaged.
         */
        void abort() {
            if (!finished) {
                closeFiles();
            }
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
    }
}
