package org.tandemrc.phonebook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.phonebook.PhonebookException;

class PersonalPhonebooksTest {

    @TempDir
    Path tmp;

    @Test
    void eachOwnerHasAPhonebookOfTheirOwnInTheSameFormat() throws Exception {
        PersonalPhonebooks books = new PersonalPhonebooks(tmp);
        books.personal("alice").save(Entry.of("Lab", "Printer", "tcp:10.0.0.9:6502", "", "", "", "pw"));
        assertSame(books.personal("alice"), books.personal("alice"));
        assertEquals(List.of(), books.personal("bob").entries("", true), "bob's is his own");
        assertTrue(Files.isRegularFile(tmp.resolve("alice/Lab/Printer.dwc")));
        assertTrue(Files.isRegularFile(tmp.resolve("alice/.key")));
        // Opened again (a restart): the record and its password are there.
        assertEquals("pw", new PersonalPhonebooks(tmp).personal("alice").entry("Lab", "Printer").orElseThrow().hostPassword());
        for (String bad : List.of("", "..", ".hidden", "a/b", "a\\b")) {
            assertThrows(PhonebookException.class, () -> books.personal(bad), bad);
        }
    }
}
