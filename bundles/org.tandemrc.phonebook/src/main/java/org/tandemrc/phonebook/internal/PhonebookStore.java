package org.tandemrc.phonebook.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.phonebook.Phonebook;
import org.tandemrc.api.phonebook.PhonebookException;

/**
 * The phonebook on disk, under the node's home in {@code data/phonebook}: a folder per phonebook
 * folder, a {@code DESCRIPTION.dwc} file per record (readable only by the node's user), and the key
 * that seals the records' passwords in {@code .key}. Each record is written to a temporary file and
 * moved into place, so a crash never leaves half a record.
 */
@Component(service = Phonebook.class)
public final class PhonebookStore implements Phonebook {

    private static final String EXT = ".dwc";
    private static final System.Logger LOG = System.getLogger("org.tandemrc.phonebook");

    private Path root;
    private Secrets local;

    public PhonebookStore() {
    }

    /** A phonebook at {@code root}, outside a framework (tests). */
    PhonebookStore(Path root) throws IOException {
        open(root);
    }

    @Activate
    void activate(BundleContext context) throws IOException {
        String h = context.getProperty("tandem.home");
        open(Path.of(h == null ? "." : h).resolve("data/phonebook"));
    }

    private void open(Path dir) throws IOException {
        root = dir.toAbsolutePath();
        Files.createDirectories(root);
        Path keyFile = root.resolve(".key");
        if (!Files.exists(keyFile)) {
            Path tmp = root.resolve(".key.new");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, Secrets.newKey());
            try {
                Files.move(tmp, keyFile, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.delete(tmp); // another process made it first: use that one
            }
        }
        byte[] key = Files.readAllBytes(keyFile);
        if (key.length != 32) {
            throw new IOException(keyFile + " is not a phonebook key (" + key.length + " bytes instead of 32)");
        }
        local = Secrets.local(key);
    }

    // ---------------------------------------------------------------- names

    /** The folder's directory, after checking each name. */
    private Path dir(String folder) throws PhonebookException {
        Path d = root;
        if (folder == null || folder.isEmpty()) {
            return d;
        }
        for (String name : folder.split("/", -1)) {
            d = d.resolve(checkName(name, "folder"));
        }
        return d;
    }

    static String checkName(String name, String what) throws PhonebookException {
        if (name.isEmpty() || name.isBlank()) {
            throw new PhonebookException("a " + what + " needs a name");
        }
        if (name.equals(".") || name.equals("..") || name.startsWith(".")) {
            throw new PhonebookException("a " + what + " name may not start with '.': " + name);
        }
        if (name.length() > 120) {
            throw new PhonebookException("a " + what + " name has at most 120 characters: " + name.substring(0, 40) + "…");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) {
                throw new PhonebookException("a " + what + " name may not hold '/', '\\' or control characters: "
                        + name.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        return name;
    }

    private static void checkText(Entry e) throws PhonebookException {
        for (String f : e.fields()) {
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                    throw new PhonebookException(e.path() + ": fields may not hold control characters");
                }
            }
        }
    }

    private static String folderOf(Path root, Path dir) {
        return root.relativize(dir).toString().replace(dir.getFileSystem().getSeparator(), "/");
    }

    // ---------------------------------------------------------------- reading

    @Override
    public synchronized List<String> folders() throws PhonebookException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.getFileName().toString().startsWith(".") || p.equals(root))
                    .forEach(p -> out.add(folderOf(root, p)));
        } catch (IOException e) {
            throw new PhonebookException("cannot read the phonebook: " + e.getMessage(), e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    @Override
    public synchronized List<Entry> entries(String folder, boolean subfolders) throws PhonebookException {
        Path d = dir(folder);
        if (!Files.isDirectory(d)) {
            throw new PhonebookException("no folder '" + folder + "' in the phonebook");
        }
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> s = subfolders ? Files.walk(d) : Files.list(d)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(EXT) && !n.startsWith(".") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(read(folderOf(root, p.getParent()), p));
                }
            }
        } catch (IOException e) {
            throw new PhonebookException("cannot read the phonebook folder '" + folder + "': " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Entry::path));
        return out;
    }

    @Override
    public synchronized Optional<Entry> entry(String folder, String description) throws PhonebookException {
        Path f = dir(folder).resolve(checkName(description, "record") + EXT);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(read(folder == null ? "" : folder, f));
    }

    private Entry read(String folder, Path file) throws PhonebookException {
        String xml;
        try {
            xml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PhonebookException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return Dwc.read(folder, xml, local);
        } catch (PhonebookException e) {
            throw new PhonebookException(file + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- changing

    @Override
    public synchronized void createFolder(String folder) throws PhonebookException {
        try {
            Files.createDirectories(dir(folder));
        } catch (IOException e) {
            throw new PhonebookException("cannot make the folder '" + folder + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void deleteFolder(String folder) throws PhonebookException {
        Path d = dir(folder);
        if (d.equals(root)) {
            throw new PhonebookException("the phonebook's root folder cannot be deleted");
        }
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            throw new PhonebookException("no folder '" + folder + "' in the phonebook");
        }
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new PhonebookException("cannot delete the folder '" + folder + "': " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "deleted phonebook folder " + folder);
    }

    @Override
    public synchronized void save(Entry entry) throws PhonebookException {
        checkText(entry);
        Path d = dir(entry.folder());
        Path f = d.resolve(checkName(entry.description(), "record") + EXT);
        write(f, Dwc.write(entry, local, "local"));
    }

    private static void write(Path f, String text) throws PhonebookException {
        Path tmp = f.resolveSibling("." + f.getFileName() + ".new");
        try {
            Files.createDirectories(f.getParent());
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failed already; that is what is reported
            }
            throw new PhonebookException("cannot save " + f.getFileName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean delete(String folder, String description) throws PhonebookException {
        try {
            Files.delete(dir(folder).resolve(checkName(description, "record") + EXT));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new PhonebookException("cannot delete " + description + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- exchange

    @Override
    public synchronized String exportCsv(String folder, char[] passphrase) throws PhonebookException {
        Secrets s = Secrets.given(passphrase) ? Secrets.passphrase(passphrase) : null;
        String base = folder == null ? "" : folder;
        StringBuilder out = new StringBuilder();
        for (Entry e : entries(base, true)) {
            String[] f = e.fields();
            f[0] = base.isEmpty() ? f[0] : f[0].equals(base) ? "" : f[0].substring(base.length() + 1);
            for (int i : new int[] {7, 10, 12}) {
                f[i] = s == null ? "" : s.seal(Dwc.ELEMENTS.get(i - 1), f[i]);
            }
            out.append(Csv.line(f));
        }
        return out.toString();
    }

    @Override
    public synchronized List<Entry> importCsv(String folder, String csv, char[] passphrase) throws PhonebookException {
        String base = folder == null ? "" : folder;
        dir(base);
        Secrets s = Secrets.given(passphrase) ? Secrets.passphrase(passphrase) : null;
        List<Csv.Row> rows;
        try {
            rows = Csv.parse(csv);
        } catch (Csv.Malformed e) {
            throw new PhonebookException("the CSV file's " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        for (Csv.Row row : rows) {
            String[] f = row.fields();
            try {
                if (f.length > Entry.FIELDS) {
                    throw new PhonebookException(f.length + " fields; a record has at most " + Entry.FIELDS);
                }
                f = java.util.Arrays.copyOf(f, Entry.FIELDS);
                for (int i = 0; i < f.length; i++) {
                    f[i] = f[i] == null ? "" : f[i];
                }
                // Folder paths from other programs may use backslashes.
                String sub = f[0].replace('\\', '/');
                sub = sub.startsWith("/") ? sub.substring(1) : sub;
                f[0] = base.isEmpty() ? sub : sub.isEmpty() ? base : base + "/" + sub;
                for (int i : new int[] {7, 10, 12}) {
                    if (Secrets.isSealed(f[i])) {
                        if (s == null) {
                            throw new PhonebookException("its passwords are encrypted; give the passphrase they were "
                                    + "exported with");
                        }
                        f[i] = s.open(Dwc.ELEMENTS.get(i - 1), f[i]);
                    }
                }
                Entry e = Entry.fromFields(f);
                dir(e.folder());
                checkName(e.description(), "record");
                checkText(e);
                entries.add(e);
            } catch (PhonebookException e) {
                throw new PhonebookException("the CSV file's line " + row.line() + ": " + e.getMessage());
            }
        }
        for (Entry e : entries) {
            save(e);
        }
        LOG.log(System.Logger.Level.INFO, "imported " + entries.size() + " phonebook record(s) into '" + base + "'");
        return entries;
    }

    @Override
    public synchronized String exportDwc(String folder, String description, char[] passphrase)
            throws PhonebookException {
        Entry e = entry(folder, description).orElseThrow(() -> new PhonebookException("no record '" + description
                + "' in '" + folder + "'"));
        return Secrets.given(passphrase) ? Dwc.write(e, Secrets.passphrase(passphrase), "passphrase")
                : Dwc.write(e, null, "none");
    }

    @Override
    public synchronized Entry importDwc(String folder, String xml, char[] passphrase) throws PhonebookException {
        String keys = Dwc.keys(xml);
        Secrets s = switch (keys) {
            case "passphrase" -> {
                if (!Secrets.given(passphrase)) {
                    throw new PhonebookException("the record's passwords are encrypted; give the passphrase it was "
                            + "exported with");
                }
                yield Secrets.passphrase(passphrase);
            }
            case "local" -> local;
            default -> null;
        };
        Entry e = Dwc.read(folder == null ? "" : folder, xml, s);
        save(e);
        return e;
    }

    /** For tests: the directory a folder is kept in. */
    Path directory(String folder) throws PhonebookException {
        return dir(folder);
    }
}
