package org.tandemrc.protocol.logon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A file of accounts kept as SRP verifiers only (the Host's Guest passwords, the Gateway's users): one
 * line per account, tab-separated fields of which the first is the account's key; {@code #} lines and
 * blank lines are comments. Read afresh on every call, so an edit applies to the next logon; written
 * whole to an owner-only temporary file and moved into place, so a reader never sees half a file.
 *
 * @param <E> one account
 */
public final class VerifierFile<E> {

    /**
     * How one account reads and writes.
     *
     * @param fields   how many tab-separated fields a line has
     * @param expected what a wrong line is told it should be, e.g. "ID, role and verifier"
     * @param header   the comment lines written at the top of the file
     * @param parse    an account from exactly {@code fields} fields, the first its key; throws
     *                 {@link IllegalArgumentException} when a field is not valid
     * @param write    the fields of an account, the first its key
     */
    public record Format<E>(int fields, String expected, List<String> header, Function<String[], E> parse,
            Function<E, List<String>> write) {
        public Format {
            header = List.copyOf(header);
        }
    }

    private final Path file;
    private final Format<E> format;

    public VerifierFile(Path file, Format<E> format) {
        this.file = file;
        this.format = format;
    }

    public Path file() {
        return file;
    }

    public synchronized Optional<E> find(String key) throws IOException {
        return Optional.ofNullable(read().get(key));
    }

    /** Every account by key, in file order; empty when the file does not exist. */
    public synchronized Map<String, E> read() throws IOException {
        Map<String, E> entries = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != format.fields()) {
                throw new IOException(file + " line " + n + ": expected " + format.expected() + " separated by tabs");
            }
            try {
                entries.put(f[0], format.parse().apply(f));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " line " + n + ": " + e.getMessage());
            }
        }
        return entries;
    }

    /** Adds or replaces an account; answers whether it existed before. */
    public synchronized boolean put(E entry) throws IOException {
        Map<String, E> entries = read();
        boolean existed = entries.put(format.write().apply(entry).get(0), entry) != null;
        write(entries);
        return existed;
    }

    /** Removes an account; answers whether it existed. */
    public synchronized boolean remove(String key) throws IOException {
        Map<String, E> entries = read();
        boolean removed = entries.remove(key) != null;
        if (removed) {
            write(entries);
        }
        return removed;
    }

    private void write(Map<String, E> entries) throws IOException {
        List<String> lines = new ArrayList<>(format.header());
        entries.values().forEach(e -> lines.add(String.join("\t", format.write().apply(e))));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
