package org.tandemrc.host.desktop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The save dialog of Receive a file asks before a name that exists is replaced, and only then. */
class SaveDialogTest {

    @TempDir
    Path dir;
    private final List<Path> asked = new ArrayList<>();

    @Test
    void aFreeNameIsSavedWithoutAQuestion() {
        assertTrue(SaveDialog.mayReplace(dir.resolve("new.txt"), p -> {
            asked.add(p);
            return false;
        }));
        assertEquals(List.of(), asked);
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenThePersonSaysSo() throws Exception {
        Path report = Files.writeString(dir.resolve("report.txt"), "kept");
        assertFalse(SaveDialog.mayReplace(report, p -> {
            asked.add(p);
            return false;
        }), "Cancel goes back to choosing");
        assertTrue(SaveDialog.mayReplace(report, p -> {
            asked.add(p);
            return true;
        }));
        assertEquals(List.of(report, report), asked);
        assertEquals("kept", Files.readString(report), "asking writes nothing");
    }

    @Test
    void aDanglingLinkOrAFolderAtTheNameIsAskedAboutToo() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("nowhere"));
        Path folder = Files.createDirectory(dir.resolve("folder"));
        assertFalse(SaveDialog.mayReplace(link, p -> asked.add(p) && false));
        assertFalse(SaveDialog.mayReplace(folder, p -> asked.add(p) && false));
        assertEquals(List.of(link, folder), asked);
    }

    @Test
    void theQuestionNamesTheFileAndItsButtonsHaveTheirFirstLetters() {
        Texts texts = new Texts(Locale.ENGLISH);
        assertEquals("Replace report.txt?", texts.get("save.replace.title", "report.txt"));
        assertEquals("report.txt already exists in /home/ann/Downloads. Replace it with the file the Guest sends?",
                texts.get("save.replace.text", "report.txt", "/home/ann/Downloads"));
        for (String key : List.of("save.replace", "save.cancel")) {
            assertEquals(Character.toUpperCase(texts.get(key).charAt(0)), texts.mnemonic(key + ".mnemonic"), key);
        }
    }
}
