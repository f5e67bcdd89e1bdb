package org.tandemrc.phonebook.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tandemrc.api.phonebook.PhonebookException;

/**
 * Phonebook files from elsewhere (a colleague's export, another program's CSV): imported into a real
 * store, whose only refusal is {@link PhonebookException} and which writes nothing outside its folder.
 */
class PhonebookImportFuzzTest {

    private static final Path BASE = temp();

    @FuzzTest(maxDuration = "5m")
    void csv(FuzzedDataProvider data) throws IOException {
        String folder = data.consumeBoolean() ? "" : data.consumeString(40);
        char[] passphrase = data.consumeBoolean() ? null : data.consumeString(20).toCharArray();
        String text = data.consumeRemainingAsString();
        try {
            Csv.parse(text);
        } catch (Csv.Malformed refused) {
            // declared refusal of the parser
        }
        inStore(store -> store.importCsv(folder, text, passphrase));
    }

    @FuzzTest(maxDuration = "5m")
    void dwc(FuzzedDataProvider data) throws IOException {
        String folder = data.consumeBoolean() ? "" : data.consumeString(40);
        char[] passphrase = data.consumeBoolean() ? null : data.consumeString(20).toCharArray();
        String xml = data.consumeRemainingAsString();
        inStore(store -> store.importDwc(folder, xml, passphrase));
    }

    private interface Import {
        Object run(PhonebookStore store) throws PhonebookException;
    }

    private static void inStore(Import action) throws IOException {
        Path root = BASE.resolve("book");
        try {
            PhonebookStore store = new PhonebookStore(root);
            try {
                action.run(store);
            } catch (PhonebookException refused) {
                // declared refusal
            }
            try (Stream<Path> s = Files.list(BASE)) {
                List<Path> there = s.toList();
                if (!there.equals(List.of(root))) {
                    throw new AssertionError("an import wrote outside the phonebook's folder: " + there);
                }
            }
        } finally {
            delete(BASE);
            Files.createDirectories(BASE);
        }
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    private static Path temp() {
        try {
            Path p = Files.createTempDirectory("tandem-phonebook-fuzz");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
