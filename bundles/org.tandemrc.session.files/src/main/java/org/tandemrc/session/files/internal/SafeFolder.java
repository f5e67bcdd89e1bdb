package org.tandemrc.session.files.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A folder reached from a trusted root one name at a time without following any symbolic link
 * ({@link SecureDirectoryStream}: {@code openat} with {@code O_NOFOLLOW}), and the operations on the
 * names in it. Every operation acts on that open folder, not on a path spelled again: a folder
 * renamed or swapped for a link meanwhile cannot send it elsewhere, and a link in the way is refused,
 * never followed. Names given here are single names already checked by the caller.
 *
 * <p>java.nio has no descriptor-relative way to make a folder or a link: these are made under a
 * reserved name directly in the root (whose path the peer cannot change) and then moved into the open
 * folder ({@code renameat}). Only where that move crosses a mount point inside the root are they made
 * by path and checked afterwards; see docs/security/files.md for that remaining gap.
 */
final class SafeFolder implements Closeable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Links followed while judging where a link's target leads (Linux's own limit is 40). */
    private static final int MAX_HOPS = 40;

    private final Path rootPath;
    private final SecureDirectoryStream<Path> root;
    private final SecureDirectoryStream<Path> dir;
    /** Where this folder is, for messages and the by-path fallbacks only. */
    private final Path path;
    /** The names from the root to this folder. */
    private final List<String> names;
    private final boolean ownsRoot;

    private SafeFolder(Path rootPath, SecureDirectoryStream<Path> root, SecureDirectoryStream<Path> dir, Path path,
            List<String> names, boolean ownsRoot) {
        this.rootPath = rootPath;
        this.root = root;
        this.dir = dir;
        this.path = path;
        this.names = names;
        this.ownsRoot = ownsRoot;
    }

    /**
     * Opens the folder {@code names} below {@code rootPath}.
     *
     * @throws RefusedPath when one of the names is a link (or not a folder)
     * @throws NoSuchFileException when one is missing
     */
    static SafeFolder open(Path rootPath, List<String> names) throws IOException {
        SecureDirectoryStream<Path> root = openRoot(rootPath);
        SecureDirectoryStream<Path> dir = root;
        Path at = rootPath;
        try {
            for (String n : names) {
                SecureDirectoryStream<Path> next = sub(dir, n, at);
                if (dir != root) {
                    dir.close();
                }
                dir = next;
                at = at.resolve(n);
            }
        } catch (IOException | RuntimeException e) {
            if (dir != root) {
                dir.close();
            }
            root.close();
            throw e;
        }
        return new SafeFolder(rootPath, root, dir, at, List.copyOf(names), true);
    }

    private static SecureDirectoryStream<Path> openRoot(Path rootPath) throws IOException {
        DirectoryStream<Path> s = Files.newDirectoryStream(rootPath);
        if (s instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        s.close();
        throw new IOException("this platform cannot open folders without following links, so no folder can be"
                + " confined safely here");
    }

    private static SecureDirectoryStream<Path> sub(SecureDirectoryStream<Path> dir, String name, Path at)
            throws IOException {
        try {
            return dir.newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            Optional<BasicFileAttributes> a = stat(dir, name);
            if (a.isPresent() && a.get().isSymbolicLink()) {
                throw new RefusedPath(RefusedPath.printable(at.resolve(name).toString())
                        + " is refused: it leads through a symbolic link, which is never followed");
            }
            if (a.isPresent() && !a.get().isDirectory()) {
                throw new NotDirectoryException(at.resolve(name) + " is not a folder");
            }
            throw e;
        }
    }

    private static Optional<BasicFileAttributes> stat(SecureDirectoryStream<Path> dir, String name) throws IOException {
        try {
            BasicFileAttributeView v = name == null ? dir.getFileAttributeView(BasicFileAttributeView.class)
                    : dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(v.readAttributes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** This folder's path, for messages. */
    Path path() {
        return path;
    }

    Path path(String name) {
        return name == null ? path : path.resolve(name);
    }

    /** A name's attributes, not following a link; {@code null} for this folder itself. */
    Optional<BasicFileAttributes> stat(String name) throws IOException {
        return stat(dir, name);
    }

    /** A name's POSIX view, not following a link; null where the file system has none. */
    PosixFileAttributeView posix(String name) {
        return name == null ? dir.getFileAttributeView(PosixFileAttributeView.class)
                : dir.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    BasicFileAttributeView basic(String name) {
        return name == null ? dir.getFileAttributeView(BasicFileAttributeView.class)
                : dir.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** The subfolder {@code name}, itself never a link. Close it before this one. */
    SafeFolder folder(String name) throws IOException {
        List<String> n = new ArrayList<>(names);
        n.add(name);
        return new SafeFolder(rootPath, root, sub(dir, name, path), path.resolve(name), List.copyOf(n), false);
    }

    /** Goes into the subfolder {@code name}: the folder returned replaces this one, which is closed. */
    SafeFolder descend(String name) throws IOException {
        SecureDirectoryStream<Path> next = sub(dir, name, path);
        if (dir != root) {
            dir.close();
        }
        List<String> n = new ArrayList<>(names);
        n.add(name);
        return new SafeFolder(rootPath, root, next, path.resolve(name), List.copyOf(n), ownsRoot);
    }

    /** The names in this folder (read once). */
    List<String> list() {
        List<String> out = new ArrayList<>();
        for (Path p : dir) {
            out.add(p.getFileName().toString());
        }
        return out;
    }

    /** Opens a regular file for reading; a link or anything else is refused. */
    SeekableByteChannel read(String name) throws IOException {
        BasicFileAttributes a = stat(name).orElseThrow(() -> new NoSuchFileException(path(name).toString()));
        if (a.isSymbolicLink()) {
            throw new RefusedPath(RefusedPath.printable(path(name).toString())
                    + " is refused: it is a symbolic link, which is never followed");
        }
        if (!a.isRegularFile()) {
            throw new IOException(path(name) + " is not a file");
        }
        return dir.newByteChannel(Path.of(name), Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    /** Creates a new file, only the owner may read and write it; fails when the name exists at all. */
    SeekableByteChannel create(String name) throws IOException {
        Set<OpenOption> o = Set.of(StandardOpenOption.WRITE, StandardOpenOption.READ, StandardOpenOption.CREATE_NEW,
                LinkOption.NOFOLLOW_LINKS);
        return posix(null) != null
                ? dir.newByteChannel(Path.of(name), o, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : dir.newByteChannel(Path.of(name), o);
    }

    /** Opens an existing regular file for writing and reading; a link is refused. */
    SeekableByteChannel update(String name) throws IOException {
        BasicFileAttributes a = stat(name).orElseThrow(() -> new NoSuchFileException(path(name).toString()));
        if (!a.isRegularFile()) {
            throw new RefusedPath(RefusedPath.printable(path(name).toString()) + " is refused: it is not a plain file");
        }
        return dir.newByteChannel(Path.of(name), Set.of(StandardOpenOption.WRITE, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS));
    }

    /** Removes a file or link (never what a link leads to). */
    void deleteFile(String name) throws IOException {
        dir.deleteFile(Path.of(name));
    }

    /** Removes an empty folder. */
    void deleteFolder(String name) throws IOException {
        dir.deleteDirectory(Path.of(name));
    }

    /** Renames {@code name} to {@code toName} in {@code to}, replacing a file or link there. */
    void move(String name, SafeFolder to, String toName) throws IOException {
        dir.move(Path.of(name), to.dir, Path.of(toName));
    }

    /** Makes a folder; nothing when one is there already. */
    void makeFolder(String name) throws IOException {
        Optional<BasicFileAttributes> a = stat(name);
        if (a.isPresent()) {
            if (a.get().isDirectory()) {
                return;
            }
            throw new FileAlreadyExistsException(path(name) + " exists and is not a folder");
        }
        String staged = Names.STAGED + HexFormat.of().formatHex(randomBytes());
        Files.createDirectory(rootPath.resolve(staged));
        placeStaged(staged, name, true, () -> Files.createDirectory(path(name)));
        Optional<BasicFileAttributes> made = stat(name);
        if (made.isEmpty() || !made.get().isDirectory()) {
            throw new RefusedPath(RefusedPath.printable(path(name).toString())
                    + " is refused: the folder was made elsewhere than where the path led");
        }
    }

    /** Makes a link, replacing a file or link of that name. The caller judged the target. */
    void makeLink(String name, String target) throws IOException {
        String staged = Names.STAGED + HexFormat.of().formatHex(randomBytes());
        Files.createSymbolicLink(rootPath.resolve(staged), Path.of(target));
        placeStaged(staged, name, false, () -> {
            Files.deleteIfExists(path(name));
            Files.createSymbolicLink(path(name), Path.of(target));
        });
        Optional<BasicFileAttributes> made = stat(name);
        if (made.isEmpty() || !made.get().isSymbolicLink() || !Path.of(target).toString().equals(readLink(name))) {
            throw new RefusedPath(RefusedPath.printable(path(name).toString())
                    + " is refused: the link was made elsewhere than where the path led");
        }
    }

    private interface ByPath {
        void make() throws IOException;
    }

    /**
     * Moves what was staged in the root to its place. Across a mount point inside the root it cannot
     * be moved: then it is made by path and the caller checks it arrived in this folder.
     */
    private void placeStaged(String staged, String name, boolean folder, ByPath fallback) throws IOException {
        try {
            root.move(Path.of(staged), dir, Path.of(name));
        } catch (AtomicMoveNotSupportedException e) {
            removeStaged(staged, folder);
            fallback.make();
        } catch (IOException | RuntimeException e) {
            removeStaged(staged, folder);
            throw e;
        }
    }

    private void removeStaged(String staged, boolean folder) {
        try {
            if (folder) {
                root.deleteDirectory(Path.of(staged));
            } else {
                root.deleteFile(Path.of(staged));
            }
        } catch (IOException e) {
            // a reserved name the peer cannot see or name; the next session may find it
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    /**
     * A link's target. java.nio reads links by path only: the link read is checked to be the very
     * one in this folder (same file key), so a swap meanwhile is refused rather than reported.
     */
    String readLink(String name) throws IOException {
        Optional<BasicFileAttributes> here = stat(name);
        if (here.isEmpty() || !here.get().isSymbolicLink()) {
            throw new IOException(path(name) + " is not a symbolic link");
        }
        Path p = path(name);
        String target = Files.readSymbolicLink(p).toString();
        Object key = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (key == null || !Objects.equals(key, here.get().fileKey())) {
            throw new RefusedPath(RefusedPath.printable(p.toString()) + " is refused: it changed while it was read");
        }
        return target;
    }

    /**
     * Whether a link named {@code name} here with {@code target} leads to a place inside the root,
     * following any links on its way as the system would (each judged inside the root too). A target
     * that is absolute, climbs above the root or passes through a link that does, leads out.
     */
    boolean staysInside(String target) throws IOException {
        List<String> at = new ArrayList<>(names);
        java.util.Deque<String> todo = new java.util.ArrayDeque<>();
        if (target.isEmpty() || target.startsWith("/")) {
            return false;
        }
        pushAll(todo, target);
        int hops = 0;
        while (!todo.isEmpty()) {
            String n = todo.pollFirst();
            if (n.isEmpty() || n.equals(".")) {
                continue;
            }
            if (n.equals("..")) {
                if (at.isEmpty()) {
                    return false;
                }
                at.remove(at.size() - 1);
                continue;
            }
            Optional<BasicFileAttributes> a;
            String linkTarget = null;
            try (SafeFolder f = open(rootPath, at)) {
                a = f.stat(n);
                if (a.isPresent() && a.get().isSymbolicLink()) {
                    linkTarget = f.readLink(n);
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                a = Optional.empty();
            }
            if (linkTarget != null) {
                if (++hops > MAX_HOPS || linkTarget.isEmpty() || linkTarget.startsWith("/")) {
                    return false;
                }
                pushAll(todo, linkTarget);
            } else {
                at.add(n);
            }
        }
        return true;
    }

    private static void pushAll(java.util.Deque<String> todo, String target) {
        String[] parts = target.split("/", -1);
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (dir != root) {
                dir.close();
            }
        } finally {
            if (ownsRoot) {
                root.close();
            }
        }
    }
}
