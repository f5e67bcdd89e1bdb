package org.tandemrc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Version;

/** The distribution's bundle repository ({@code system/}): bundle jars indexed by symbolic name. */
final class Repository {

    /** One bundle jar of the repository. */
    record Entry(String symbolicName, Version version, boolean fragment, Path jar) {
    }

    private final Map<String, Entry> bundles;

    private Repository(Map<String, Entry> bundles) {
        this.bundles = bundles;
    }

    /** Indexes every jar in {@code dir}; of two versions of one bundle the higher wins. */
    static Repository scan(Path dir) throws IOException {
        Map<String, Entry> found = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("the bundle repository " + dir + " is missing");
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                Entry e = read(jar);
                if (e != null) {
                    Entry old = found.get(e.symbolicName());
                    if (old == null || old.version().compareTo(e.version()) < 0) {
                        found.put(e.symbolicName(), e);
                    }
                }
            }
        }
        return new Repository(found);
    }

    /** The bundle's identity, or null when the jar is not a bundle. */
    static Entry read(Path jar) throws IOException {
        try (InputStream in = Files.newInputStream(jar); JarInputStream jin = new JarInputStream(in)) {
            Manifest mf = jin.getManifest();
            String bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                return null;
            }
            String version = mf.getMainAttributes().getValue("Bundle-Version");
            boolean fragment = mf.getMainAttributes().getValue("Fragment-Host") != null;
            return new Entry(bsn.split(";")[0].trim(), Version.parseVersion(version), fragment, jar);
        }
    }

    /** Saves the index (symbolic name, version, fragment or not, jar name; a line each) to {@code file}. */
    void write(Path file) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Entry e : bundles.values()) {
            s.append(e.symbolicName()).append('\t').append(e.version()).append('\t').append(e.fragment()).append('\t')
                    .append(e.jar().getFileName()).append('\n');
        }
        Files.writeString(file, s);
    }

    /** The index {@link #write} saved, its jars in {@code dir}. */
    static Repository read(Path file, Path dir) throws IOException {
        Map<String, Entry> found = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            if (f.length != 4) {
                throw new IOException(file + ": not a repository index");
            }
            found.put(f[0], new Entry(f[0], Version.parseVersion(f[1]), Boolean.parseBoolean(f[2]), dir.resolve(f[3])));
        }
        return new Repository(found);
    }

    /** The entry for a symbolic name, or null. */
    Entry get(String symbolicName) {
        return bundles.get(symbolicName);
    }
}
