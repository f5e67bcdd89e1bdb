package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SavedBatchesTest {

    @TempDir
    Path tmp;

    @Test
    void anyWordsComeBackAsTheyWere() {
        List<String> words = List.of("office/,lab/pc 1", "message", "Backup \"tonight\" at 8\nby C:\\tools", "", "#x",
                "tool", "p", "q", "a=b c", "tab\there");
        assertEquals(words, SavedBatches.split(SavedBatches.join(words)));
        assertEquals("office/ tool system show", SavedBatches.join(List.of("office/", "tool", "system", "show")));
    }

    @Test
    void listsAreAppendedListedReadAndForgotten() throws IOException {
        SavedBatches saved = new SavedBatches(tmp.resolve("data/batch"));
        assertEquals(List.of(), saved.names());
        assertEquals(1, saved.append("morning", List.of("office/", "wake")));
        assertEquals(2, saved.append("morning", List.of("office/", "message", "Good morning")));
        saved.append("audit", List.of("/", "tool", "system", "show"));
        assertEquals(List.of("audit", "morning"), saved.names());
        assertEquals(List.of(List.of("office/", "wake"), List.of("office/", "message", "Good morning")),
                saved.read("morning"));
        Files.writeString(tmp.resolve("data/batch/morning.batch"), "# edited by hand\n\n   \n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(2, saved.read("morning").size());
        assertTrue(saved.delete("morning"));
        assertFalse(saved.delete("morning"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> saved.read("morning"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "a/b", ".hidden", "", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "a\nb", "name.", "..", "a b"})
    void namesThatCouldLeaveTheFolderAreRefused(String name) {
        SavedBatches saved = new SavedBatches(tmp);
        assertThrows(IllegalArgumentException.class, () -> saved.append(name, List.of("/", "wake")));
        assertThrows(IllegalArgumentException.class, () -> saved.read(name));
        assertThrows(IllegalArgumentException.class, () -> saved.delete(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"open", "a\"b", "\"x\"y", "\"\\q\"", "back\\slash", "\"ends\\"})
    void malformedLinesAreRefused(String line) {
        assertThrows(IllegalArgumentException.class, () -> SavedBatches.split(line));
    }

    @Test
    void aHandEditedFileIsBoundedInSizeLinesAndWords() throws IOException {
        SavedBatches saved = new SavedBatches(tmp);
        Files.writeString(tmp.resolve("big.batch"), "x".repeat(SavedBatches.MAX_BYTES + 1));
        assertThrows(IOException.class, () -> saved.read("big"));
        Files.writeString(tmp.resolve("long.batch"), "/ wake\n".repeat(SavedBatches.MAX_LINES + 1));
        assertThrows(IOException.class, () -> saved.read("long"));
        Files.writeString(tmp.resolve("wide.batch"), "w ".repeat(SavedBatches.MAX_WORDS + 1));
        IOException e = assertThrows(IOException.class, () -> saved.read("wide"));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        Files.writeString(tmp.resolve("full.batch"), "/ wake\n".repeat(SavedBatches.MAX_LINES));
        assertThrows(IOException.class, () -> saved.append("full", List.of("/", "wake")));
    }
}
