package org.tandemrc.protocol.logon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierFileTest {

    record Account(String name, int level) {
    }

    private static final VerifierFile.Format<Account> FORMAT = new VerifierFile.Format<>(2, "name and level",
            List.of("# accounts"), f -> new Account(f[0], Integer.parseInt(f[1])),
            a -> List.of(a.name(), Integer.toString(a.level())));

    @TempDir
    Path dir;

    @Test
    void aMissingFileHasNoAccounts() throws IOException {
        VerifierFile<Account> file = new VerifierFile<>(dir.resolve("none"), FORMAT);
        assertTrue(file.read().isEmpty());
        assertFalse(file.remove("x"));
        assertFalse(Files.exists(dir.resolve("none")));
    }

    @Test
    void writesOwnerOnlyAndReadsBackInOrder() throws IOException {
        Path path = dir.resolve("etc/accounts");
        VerifierFile<Account> file = new VerifierFile<>(path, FORMAT);
        assertFalse(file.put(new Account("b", 1)));
        assertFalse(file.put(new Account("a", 2)));
        assertTrue(file.put(new Account("b", 3)));
        assertEquals(List.of("# accounts", "b\t3", "a\t2"), Files.readAllLines(path, StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(List.of(new Account("b", 3), new Account("a", 2)), List.copyOf(file.read().values()));
        assertEquals(new Account("a", 2), file.find("a").orElseThrow());
        assertTrue(file.remove("b"));
        assertEquals(List.of("a"), List.copyOf(file.read().keySet()));
    }

    @Test
    void namesTheLineOfAWrongEntry() throws IOException {
        Path path = dir.resolve("accounts");
        Files.write(path, List.of("# comment", "", "a\t1", "b"), StandardCharsets.UTF_8);
        IOException fields = assertThrows(IOException.class, () -> new VerifierFile<>(path, FORMAT).read());
        assertEquals(path + " line 4: expected name and level separated by tabs", fields.getMessage());
        Files.write(path, List.of("a\tx"), StandardCharsets.UTF_8);
        IOException value = assertThrows(IOException.class, () -> new VerifierFile<>(path, FORMAT).read());
        assertTrue(value.getMessage().startsWith(path + " line 1: "), value.getMessage());
    }
}
