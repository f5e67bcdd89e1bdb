package org.tandemrc.support.password;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

    @TempDir
    Path dir;

    private char[] read(String content) throws IOException {
        Path f = dir.resolve("pw");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return PasswordFile.read(f);
    }

    @Test
    void theFirstLineWithoutItsLineBreakIsThePassword() throws IOException {
        assertArrayEquals("secret".toCharArray(), read("secret"));
        assertArrayEquals("secret".toCharArray(), read("secret\n"));
        assertArrayEquals("secret".toCharArray(), read("secret\r\nsecond line\n"));
    }

    @Test
    void spacesArePartOfThePassphrase() throws IOException {
        assertArrayEquals(" two words ".toCharArray(), read(" two words \n"));
    }

    @Test
    void anEmptyFirstLineIsRefusedWithoutShowingTheRest() {
        IOException e = assertThrows(IOException.class, () -> read("\nhidden"));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        assertFalse(e.getMessage().contains("hidden"), e.getMessage());
        assertThrows(IOException.class, () -> read(""));
    }

    @Test
    void sixtyFourCharactersAreTheLimit() throws IOException {
        assertEquals(64, read("x".repeat(64) + "\n").length);
        IOException e = assertThrows(IOException.class, () -> read("x".repeat(65)));
        assertTrue(e.getMessage().contains("longer than 64"), e.getMessage());
    }

    @Test
    void aHugeFileIsRefusedAfterReadingItsHeadOnly() {
        IOException e = assertThrows(IOException.class, () -> read("y".repeat(10_000_000)));
        assertTrue(e.getMessage().contains("longer than 64"), e.getMessage());
    }
}
