package org.tandemrc.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Guest's start-up cache: when it is stale, and whose cache is never used. */
class GuestCacheTest {

    @TempDir
    Path dir;

    /** A distribution with two bundle jars, a feature and a launcher jar. */
    private Path dist() throws IOException {
        Path dist = dir.resolve("dist");
        for (String folder : List.of("system", "features", "lib")) {
            Files.createDirectories(dist.resolve(folder));
        }
        Files.writeString(dist.resolve("system/a-1.0.jar"), "bundle a, version one");
        Files.writeString(dist.resolve("system/b-1.0.jar"), "bundle b");
        Files.writeString(dist.resolve("features/f.feature"), "bundles = a, b");
        Files.writeString(dist.resolve("lib/tandem-launcher.jar"), "launcher");
        return dist;
    }

    /** A user who is not the one running the test. */
    private static UserPrincipal someoneElse() throws IOException {
        UserPrincipal me = GuestCache.currentUser();
        String other = me.getName().equals("root") ? "nobody" : "root";
        return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(other);
    }

    @Test
    void anUnchangedDistributionKeepsItsStamp() throws IOException {
        Path dist = dist();
        assertEquals(GuestCache.stamp(dist), GuestCache.stamp(dist));
    }

    @Test
    void aBundleReplacedInPlaceWithTheSameSizeAndTimeIsStale() throws IOException {
        Path dist = dist();
        Path jar = dist.resolve("system/a-1.0.jar");
        String before = GuestCache.stamp(dist);
        FileTime mtime = Files.getLastModifiedTime(jar);
        // An administrator's upgrade as install(1) or a package manager does it: a new file moved over the
        // old one, same name, same size, its time kept (cp -p); only the file itself differs.
        Path upgrade = dist.resolve("system/a-1.0.jar.new");
        Files.writeString(upgrade, "bundle a, version two");
        Files.setLastModifiedTime(upgrade, mtime);
        Files.move(upgrade, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Files.size(jar), "bundle a, version one".length());
        assertEquals(mtime, Files.getLastModifiedTime(jar));
        assertNotEquals(before, GuestCache.stamp(dist));
    }

    @Test
    void aBundleRewrittenLaterIsStale() throws IOException {
        Path dist = dist();
        Path jar = dist.resolve("system/b-1.0.jar");
        String before = GuestCache.stamp(dist);
        Files.writeString(jar, "bundle B"); // same size, in place (cp), a later time
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        assertNotEquals(before, GuestCache.stamp(dist));
    }

    @Test
    void anAddedOrRemovedBundleFeatureOrLauncherJarIsStale() throws IOException {
        Path dist = dist();
        String before = GuestCache.stamp(dist);
        Files.writeString(dist.resolve("system/c-1.0.jar"), "bundle c");
        String added = GuestCache.stamp(dist);
        assertNotEquals(before, added);
        Files.delete(dist.resolve("system/c-1.0.jar"));
        Files.delete(dist.resolve("system/b-1.0.jar"));
        assertNotEquals(before, GuestCache.stamp(dist));
        assertNotEquals(added, GuestCache.stamp(dist));
        String now = GuestCache.stamp(dist);
        Files.writeString(dist.resolve("features/g.feature"), "bundles = a");
        assertNotEquals(now, GuestCache.stamp(dist));
        now = GuestCache.stamp(dist);
        Files.writeString(dist.resolve("lib/org.apache.felix.framework-8.jar"), "felix");
        assertNotEquals(now, GuestCache.stamp(dist));
    }

    @Test
    void aStaleSlotIsEmptiedAndSealedAgain() throws IOException {
        Path dist = dist();
        List<String> problems = new ArrayList<>();
        try (GuestCache.Slot slot = GuestCache.acquire(dir.resolve("cache/tandem"), dist, GuestCache.currentUser(),
                problems)) {
            assertNotNull(slot, problems.toString());
            String stamp = GuestCache.stamp(dist);
            assertFalse(slot.matches(stamp), "a new slot holds nothing");
            Files.createDirectories(slot.felix().resolve("bundle1"));
            Files.writeString(slot.index(), "a\t1.0.0\tfalse\ta-1.0.jar\n");
            slot.seal(stamp);
            assertTrue(slot.matches(stamp));
            Files.writeString(dist.resolve("system/a-1.0.jar"), "bundle a, version three, longer");
            assertFalse(slot.matches(GuestCache.stamp(dist)), "a changed bundle makes the slot stale");
            slot.clear();
            assertFalse(Files.exists(slot.felix()));
            assertFalse(Files.exists(slot.index()));
            assertFalse(slot.matches(stamp), "a cleared slot matches nothing, not even its old stamp");
            slot.seal(stamp);
            slot.unseal();
            assertFalse(slot.matches(stamp), "an unsealed slot is made again");
        }
    }

    @Test
    void theCacheFoldersAreMadeOwnerOnlyAndEachRunningCommandGetsItsOwnSlot() throws IOException {
        Path dist = dist();
        Path root = dir.resolve("cache/tandem");
        List<String> problems = new ArrayList<>();
        List<GuestCache.Slot> slots = new ArrayList<>();
        try {
            for (int i = 0; i < GuestCache.SLOTS; i++) {
                GuestCache.Slot slot = GuestCache.acquire(root, dist, GuestCache.currentUser(), problems);
                assertNotNull(slot, "slot " + i + " " + problems);
                assertFalse(slots.stream().anyMatch(s -> s.dir().equals(slot.dir())), "a slot in use is not given again");
                slots.add(slot);
            }
            assertNull(GuestCache.acquire(root, dist, GuestCache.currentUser(), problems), "all slots are busy");
            assertEquals(List.of(), problems, "busy slots are no problem: a throw-away cache serves");
            for (Path p = slots.get(0).dir(); !p.equals(root.getParent()); p = p.getParent()) {
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        } finally {
            for (GuestCache.Slot s : slots) {
                s.close();
            }
        }
        try (GuestCache.Slot again = GuestCache.acquire(root, dist, GuestCache.currentUser(), problems)) {
            assertEquals(slots.get(0).dir(), again.dir(), "a released slot is used again");
        }
    }

    @Test
    void aCacheFolderOthersMayWriteIsNotUsed() throws IOException {
        Path dist = dist();
        Path root = dir.resolve("cache/tandem");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> problems = new ArrayList<>();
        assertNull(GuestCache.acquire(root, dist, GuestCache.currentUser(), problems));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("may be written by others"), problems.get(0));
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)),
                "the cache leaves a folder it does not trust as it is");

        // One level down: a slot folder someone made group-writable.
        Path other = dir.resolve("cache2/tandem");
        try (GuestCache.Slot slot = GuestCache.acquire(other, dist, GuestCache.currentUser(), problems)) {
            assertNotNull(slot);
        }
        Path slot0 = other.resolve("guest").resolve(GuestCache.hash(dist.toString())).resolve("0");
        Files.setPosixFilePermissions(slot0, PosixFilePermissions.fromString("rwxrwx---"));
        problems.clear();
        assertNull(GuestCache.acquire(other, dist, GuestCache.currentUser(), problems));
        assertTrue(problems.get(0).contains(slot0.toString()), problems.toString());
    }

    @Test
    void aCacheFolderAnotherUserOwnsIsNotUsed() throws IOException {
        Path dist = dist();
        Path root = dir.resolve("cache/tandem");
        List<String> problems = new ArrayList<>();
        // The folders are the test's; seen by a command of another user, they belong to someone else.
        try (GuestCache.Slot slot = GuestCache.acquire(root, dist, GuestCache.currentUser(), problems)) {
            assertNotNull(slot);
        }
        UserPrincipal other = someoneElse();
        assertNull(GuestCache.acquire(root, dist, other, problems));
        assertTrue(problems.get(0).contains("belongs to " + GuestCache.currentUser().getName()), problems.toString());
        assertNotNull(GuestCache.distrust(root, other));
        assertNull(GuestCache.distrust(root, GuestCache.currentUser()));
    }

    @Test
    void aLinkInPlaceOfTheCacheFolderIsNotUsed() throws IOException {
        Path dist = dist();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Path root = dir.resolve("cache/tandem");
        Files.createDirectories(root.getParent());
        Files.createSymbolicLink(root, elsewhere);
        List<String> problems = new ArrayList<>();
        assertNull(GuestCache.acquire(root, dist, GuestCache.currentUser(), problems));
        assertTrue(problems.get(0).contains("is not a folder"), problems.toString());
    }

    @Test
    void theCacheIsUnderXdgCacheHomeOrTheHomeFolder() {
        assertEquals(Path.of("/x/tandem"), GuestCache.root(Map.of("XDG_CACHE_HOME", "/x"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/tandem"), GuestCache.root(Map.of(), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/tandem"), GuestCache.root(Map.of("XDG_CACHE_HOME", "rel"), "/home/u"),
                "the spec ignores a relative one");
    }

    @Test
    void theRepositoryIndexReadsBackAsWritten() throws IOException {
        Path system = Files.createDirectories(dir.resolve("system"));
        Path jar = system.resolve("x-1.2.3.jar");
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().putValue("Manifest-Version", "1.0");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "org.example.x;singleton:=true");
        mf.getMainAttributes().putValue("Bundle-Version", "1.2.3");
        mf.getMainAttributes().putValue("Fragment-Host", "org.example.y");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.flush();
        }
        Repository scanned = Repository.scan(system);
        scanned.write(dir.resolve("index"));
        Repository read = Repository.read(dir.resolve("index"), system);
        assertEquals(scanned.get("org.example.x"), read.get("org.example.x"));
        assertTrue(read.get("org.example.x").fragment());
    }
}
