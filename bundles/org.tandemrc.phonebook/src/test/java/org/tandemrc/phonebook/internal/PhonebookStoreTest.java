package org.tandemrc.phonebook.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.phonebook.PhonebookException;

class PhonebookStoreTest {

    @TempDir
    Path tmp;

    private PhonebookStore book;

    private static final Entry WEB = new Entry("Customers/North", "Web server", "", "tcp:10.0.0.5:6502",
            "racked, \"blue\" door\nsecond line", "tcp", "admin", "s3cret, with comma", "CORP", "gw", "gw-pass", "",
            "protect", "00:11:22:33:44:55", "1", "Editor", "vi /etc/motd");
    private static final Entry LAPTOP = Entry.of("", "Laptop", "tcp:127.0.0.1:6502", "", "", "", "pw");

    @BeforeEach
    void open() throws Exception {
        book = new PhonebookStore(tmp.resolve("a"));
    }

    @Test
    void recordsAreKeptInFoldersWithTheirPasswordsEncryptedOnDisk() throws Exception {
        book.save(WEB);
        book.save(LAPTOP);
        book.createFolder("Empty/Nested");
        assertEquals(List.of("", "Customers", "Customers/North", "Empty", "Empty/Nested"), book.folders());
        assertEquals(List.of(WEB), book.entries("Customers", true));
        assertEquals(List.of(), book.entries("Customers", false));
        assertEquals(List.of(WEB, LAPTOP), book.entries("", true));
        assertEquals(WEB, book.entry("Customers/North", "Web server").orElseThrow());

        Path file = book.directory("Customers/North").resolve("Web server.dwc");
        String xml = Files.readString(file);
        assertTrue(xml.contains("<name>tcp:10.0.0.5:6502</name>"), xml);
        for (String secret : new String[] {"s3cret", "gw-pass", "protect<"}) {
            assertFalse(xml.contains(secret), "a password in the clear: " + secret);
        }
        assertTrue(xml.contains("<host-password>ENCRYPTED:"), xml);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        // A record file copied to another phonebook cannot be opened there: its key stays here.
        PhonebookStore other = new PhonebookStore(tmp.resolve("b"));
        PhonebookException e = assertThrows(PhonebookException.class, () -> other.importDwc("", xml, null));
        assertTrue(e.getMessage().contains("encrypted elsewhere"), e.getMessage());

        assertTrue(book.delete("Customers/North", "Web server"));
        assertFalse(book.delete("Customers/North", "Web server"));
        book.deleteFolder("Empty");
        assertEquals(List.of("", "Customers", "Customers/North"), book.folders());
        assertThrows(PhonebookException.class, () -> book.deleteFolder(""));
    }

    @Test
    void csvExportThenImportGivesTheSameRecords() throws Exception {
        book.save(WEB);
        book.save(LAPTOP);
        char[] pass = "export passphrase".toCharArray();
        String csv = book.exportCsv("", pass);
        assertEquals(2, csv.split("\r\n").length, "a line per record (a comment's line break stays quoted): " + csv);
        assertTrue(csv.contains("ENCRYPTED:"), csv);
        assertFalse(csv.contains("s3cret"), csv);

        PhonebookStore other = new PhonebookStore(tmp.resolve("b"));
        assertEquals(List.of(WEB, LAPTOP), other.importCsv("", csv, pass).stream()
                .sorted(java.util.Comparator.comparing(Entry::path)).toList());
        assertEquals(book.entries("", true), other.entries("", true));

        // The wrong passphrase, or none, saves nothing.
        PhonebookStore third = new PhonebookStore(tmp.resolve("c"));
        PhonebookException wrong = assertThrows(PhonebookException.class,
                () -> third.importCsv("", csv, "guess".toCharArray()));
        assertTrue(wrong.getMessage().contains("does not open with this passphrase"), wrong.getMessage());
        PhonebookException none = assertThrows(PhonebookException.class, () -> third.importCsv("", csv, null));
        assertTrue(none.getMessage().contains("give the passphrase"), none.getMessage());
        assertEquals(List.of(), third.entries("", true));

        // Without a passphrase the passwords stay home.
        String bare = book.exportCsv("Customers", null);
        assertFalse(bare.contains("ENCRYPTED:") || bare.contains("s3cret"), bare);
        List<Entry> imported = third.importCsv("Imported", bare, null);
        assertEquals("Imported/North", imported.get(0).folder());
        assertEquals("", imported.get(0).hostPassword());
        assertEquals(WEB.comment(), imported.get(0).comment());
    }

    @Test
    void csvInTheReferenceSyntaxFromOtherProgramsIsRead() throws Exception {
        String csv = "\uFEFFSales\\East,Mail, ,tcp:10.1.1.1,\"a, b\",tcp,bob,plain-pw,CORP, gw,,, ,,,,\r\n"
                + "\r\n"
                + ",Root record,,H::desk\n";
        List<Entry> got = book.importCsv("", csv, null);
        assertEquals(2, got.size());
        Entry mail = book.entry("Sales/East", "Mail").orElseThrow();
        assertEquals("a, b", mail.comment());
        assertEquals("plain-pw", mail.hostPassword());
        assertEquals("gw", mail.gatewayLogon());
        assertEquals("H::desk", book.entry("", "Root record").orElseThrow().name());

        PhonebookException many = assertThrows(PhonebookException.class,
                () -> book.importCsv("", ",ok,,x\n,bad,,x,,,,,,,,,,,,,,,extra,fields\n", null));
        assertTrue(many.getMessage().startsWith("the CSV file's line 2: "), many.getMessage());
        assertTrue(book.entry("", "ok").isEmpty(), "nothing is saved when a line is wrong");
        PhonebookException open = assertThrows(PhonebookException.class,
                () -> book.importCsv("", ",x,,\"never closed\n", null));
        assertTrue(open.getMessage().contains("does not end"), open.getMessage());
    }

    @Test
    void dwcRecordFilesRoundTripAndHostileOnesAreRefused() throws Exception {
        book.save(WEB);
        char[] pass = "dwc pass".toCharArray();
        String xml = book.exportDwc("Customers/North", "Web server", pass);
        PhonebookStore other = new PhonebookStore(tmp.resolve("b"));
        Entry got = other.importDwc("Customers/North", xml, pass);
        assertEquals(WEB, got);
        assertEquals(WEB, other.entry("Customers/North", "Web server").orElseThrow());

        String withEntity = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<phonebook-record keys=\"none\"><description>&x;</description></phonebook-record>";
        PhonebookException e = assertThrows(PhonebookException.class, () -> other.importDwc("", withEntity, null));
        assertTrue(e.getMessage().contains("not a phonebook record file"), e.getMessage());
        assertThrows(PhonebookException.class, () -> other.importDwc("", "<html/>", null));
    }

    @Test
    void namesThatCouldLeaveThePhonebookOrHideAreRefused() throws Exception {
        for (String[] bad : new String[][] {{"..", "x"}, {"a/../..", "x"}, {"", "../x"}, {"", "a/b"}, {"", "a\\b"},
            {"", ".hidden"}, {"", ""}, {"", "tab\tname"}, {"a//b", "x"}}) {
            assertThrows(PhonebookException.class, () -> book.save(Entry.of(bad[0], bad[1], "h", "", "", "", "")),
                    String.join("|", bad));
        }
        try (var files = Files.list(tmp.resolve("a"))) {
            assertEquals(List.of(".key"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(List.of(""), book.folders(), "nothing was made");
    }
}
