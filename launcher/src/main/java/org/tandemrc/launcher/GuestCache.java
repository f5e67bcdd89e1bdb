package org.tandemrc.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Guest's start-up cache: the Felix bundle cache of {@code tandem guest} kept between commands in the
 * user's own cache folder ({@code $XDG_CACHE_HOME/tandem}, else {@code ~/.cache/tandem}), so a command
 * that follows another neither copies the bundles into a new cache nor reads their manifests again.
 *
 * <pre>
 * tandem/guest/DIST/N/   one slot (N = 0..3) per command running at once, DIST a hash of the install folder
 *   lock                 held while a command uses the slot
 *   stamp                what the cache was made from (see {@link #stamp}); absent while it is being made
 *   index                the bundle repository's index (see {@link Repository#write})
 *   felix/               the framework's bundle cache
 * </pre>
 *
 * A slot is used only when every folder from {@code tandem} down is the user's own and nobody else may
 * write it; the cache is rebuilt when the stamp differs: a bundle, feature, launcher jar or the Java
 * runtime changed, added or removed (size, modification time, change time and file id of each file, so an
 * administrator's in-place upgrade counts even with the same version). Removing the folder is always safe.
 */
final class GuestCache {

    /** Commands that may use the cache at the same time; one more starts with a throw-away cache. */
    static final int SLOTS = 4;

    private static final String OWNER_ONLY = "rwx------";

    private GuestCache() {
    }

    /** One locked slot; closing it releases the lock. */
    record Slot(Path dir, FileChannel channel, FileLock lock) implements AutoCloseable {

        /** The framework's bundle cache folder. */
        Path felix() {
            return dir.resolve("felix");
        }

        /** The saved repository index. */
        Path index() {
            return dir.resolve("index");
        }

        /** Whether the cache was made from {@code stamp}. */
        boolean matches(String stamp) throws IOException {
            Path file = dir.resolve("stamp");
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && Files.readString(file, StandardCharsets.UTF_8).equals(stamp);
        }

        /** Empties the slot (but for its lock) before a new cache is made: the stamp goes first. */
        void clear() throws IOException {
            Files.deleteIfExists(dir.resolve("stamp"));
            Files.deleteIfExists(index());
            delete(felix());
        }

        /** Makes the next command make the cache again (this one found a problem with it). */
        void unseal() throws IOException {
            Files.deleteIfExists(dir.resolve("stamp"));
        }

        /** Records that the cache now holds what {@code stamp} describes. */
        void seal(String stamp) throws IOException {
            Path tmp = dir.resolve("stamp.tmp");
            Files.deleteIfExists(tmp);
            Files.writeString(tmp, stamp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.move(tmp, dir.resolve("stamp"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** {@code $XDG_CACHE_HOME/tandem}, or {@code ~/.cache/tandem} (the XDG spec ignores a relative one). */
    static Path root(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(userHome, ".cache");
        return base.resolve("tandem");
    }

    /** The user this process runs as, as the file system names owners. */
    static UserPrincipal currentUser() throws IOException {
        return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }

    /**
     * Why {@code dir} may not hold a cache {@code me} trusts, or null when it may: it must be a real folder
     * (not a link), owned by {@code me}, that no group or other user may write.
     */
    static String distrust(Path dir, UserPrincipal me) throws IOException {
        PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
            return dir + " is not a folder";
        }
        if (!a.owner().equals(me)) {
            return dir + " belongs to " + a.owner().getName() + ", not " + me.getName();
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return dir + " may be written by others (" + PosixFilePermissions.toString(a.permissions()) + ")";
        }
        return null;
    }

    /** Creates {@code dir} owner-only when it is missing, then checks it as {@link #distrust} does. */
    private static String own(Path dir, UserPrincipal me) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(OWNER_ONLY)));
            // The umask may have taken bits away, never added any: set them as meant.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // checked below, as found
        }
        return distrust(dir, me);
    }

    /**
     * Locks a free slot of the cache under {@code root} for the distribution {@code dist}, creating the
     * folders owner-only as needed.
     *
     * @param problems receives why no slot could be used (a folder another user owns or may write)
     * @return the slot, or null when none may be used or all are busy
     */
    static Slot acquire(Path root, Path dist, UserPrincipal me, List<String> problems) throws IOException {
        Files.createDirectories(root.getParent());
        List<Path> chain = List.of(root, root.resolve("guest"), root.resolve("guest").resolve(hash(dist.toString())));
        for (Path dir : chain) {
            String why = own(dir, me);
            if (why != null) {
                problems.add(why);
                return null;
            }
        }
        for (int n = 0; n < SLOTS; n++) {
            Path dir = chain.get(2).resolve(Integer.toString(n));
            String why = own(dir, me);
            if (why != null) {
                problems.add(why);
                return null;
            }
            FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this process holds it already
            }
            if (lock != null) {
                return new Slot(dir, channel, lock);
            }
            channel.close();
        }
        return null;
    }

    /**
     * What a cache made from {@code dist} depends on: each bundle, feature and launcher jar (name, size,
     * modification and change times, file id) and the Java runtime, as one line each, in name order.
     */
    static String stamp(Path dist) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("java ").append(System.getProperty("java.vm.version")).append('\n');
        for (String folder : List.of("system", "features", "lib")) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> d = Files.newDirectoryStream(dist.resolve(folder))) {
                d.forEach(files::add);
            }
            files.sort(Comparator.comparing(Path::toString));
            for (Path f : files) {
                Map<String, Object> a = Files.readAttributes(f, "unix:size,lastModifiedTime,ctime,ino,dev");
                s.append(folder).append('/').append(f.getFileName()).append(' ').append(a.get("size")).append(' ')
                        .append(a.get("lastModifiedTime")).append(' ').append(a.get("ctime")).append(' ')
                        .append(a.get("dev")).append(':').append(a.get("ino")).append('\n');
            }
        }
        return s.toString();
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
