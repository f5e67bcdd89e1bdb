package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrowserFilesTest {

    @TempDir
    Path tmp;

    private static final Pattern HEADER = Pattern.compile(
            "attachment; filename=\"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]{1,200})\"; filename\\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)");

    /** A Host-supplied name must neither break the header nor name a path outside the download folder. */
    @ParameterizedTest
    @ValueSource(strings = {"report\".pdf", "a\r\nSet-Cookie: tandem=stolen", "../../../etc/passwd", "..", ".",
        "..\\..\\Windows\\win.ini", "\"; filename=evil.exe", "name\u0000.txt", "tab\there", "é\u202etxt.exe",
        "", "/", "a\\", "\u2028line"})
    void hostileNamesMakeOneSafeHeader(String hostile) {
        check(hostile);
    }

    @Test
    void aVeryLongNameIsCut() {
        String h = check("x".repeat(100_000) + ".txt");
        assertTrue(h.length() < 1200, "header length " + h.length());
        String saved = BrowserFiles.downloadName("é".repeat(5000));
        assertEquals(BrowserFiles.MAX_NAME, saved.codePointCount(0, saved.length()));
    }

    @Test
    void anOrdinaryNameStaysAsItIs() {
        assertEquals("attachment; filename=\"Quarterly report (final).pdf\"; filename*=UTF-8''Quarterly%20report%20%28final%29.pdf",
                BrowserFiles.contentDisposition("Quarterly report (final).pdf"));
        assertEquals("attachment; filename=\"r_sum_.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt",
                BrowserFiles.contentDisposition("résumé.txt"));
    }

    @Test
    void anUploadArrivesWholeUnderItsName() throws Exception {
        byte[] data = "some bytes from the browser".getBytes(StandardCharsets.UTF_8);
        Path file = new BrowserFiles(tmp).receive(new ByteArrayInputStream(data), data.length, "notes é.txt", 1000);
        assertEquals("notes é.txt", file.getFileName().toString());
        assertEquals(tmp, file.getParent().getParent());
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void uploadsBeyondTheLimitsAreRefusedAndLeaveNothing() throws Exception {
        BrowserFiles files = new BrowserFiles(tmp);
        byte[] data = new byte[5000];
        assertEquals(413, refused(() -> files.receive(new ByteArrayInputStream(data), 5000, "big.bin", 4999)));
        assertEquals(411, refused(() -> files.receive(new ByteArrayInputStream(data), -1, "unknown.bin", 10_000)));
        // The body decides, not the header: more bytes than declared, or fewer, are refused.
        assertEquals(400, refused(() -> files.receive(new ByteArrayInputStream(data), 100, "lies.bin", 10_000)));
        assertEquals(400, refused(() -> files.receive(new ByteArrayInputStream(data), 6000, "short.bin", 10_000)));
        assertEquals(507, refused(() -> files.receive(new ByteArrayInputStream(data), Long.MAX_VALUE / 2, "huge.bin",
                Long.MAX_VALUE)));
        for (String name : new String[] {"../escape.txt", "..", ".", "", "a/b", "a\\b", "nul\u0000.txt", "cr\r\nlf",
            "x".repeat(256), "\u202eexe.txt"}) {
            assertEquals(400, refused(() -> files.receive(new ByteArrayInputStream(data), 5000, name, 10_000)), name);
        }
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "a refused upload leaves nothing behind");
        }
    }

    @Test
    void aDownloadIsFetchedOnceAndOnlyByItsLogin() throws Exception {
        BrowserFiles files = new BrowserFiles(tmp);
        Path dir = files.folder("download-");
        Path file = Files.writeString(dir.resolve("a.txt"), "x");
        String ticket = files.issue(file, "../a\"quoted\".txt", "login-a");
        assertEquals(null, files.take(ticket, "login-b"), "another login's ticket");
        BrowserFiles.Ticket t = files.take(ticket, "login-a");
        assertEquals("a_quoted_.txt", BrowserFiles.contentDisposition(t.name()).replaceAll(".*filename=\"([^\"]*)\".*", "$1"));
        assertEquals(null, files.take(ticket, "login-a"), "a ticket works once");
        assertEquals(null, files.take("made-up", "login-a"));
        Path left = files.folder("download-");
        files.issue(Files.writeString(left.resolve("b.txt"), "y"), "b.txt", "login-a");
        files.clear();
        assertFalse(Files.exists(left), "a download not fetched goes with the console");
    }

    private interface Upload {
        void run() throws Exception;
    }

    private static int refused(Upload u) throws Exception {
        try {
            u.run();
        } catch (Api.Problem p) {
            return p.status;
        }
        throw new AssertionError("not refused");
    }

    private static String check(String hostile) {
        String h = BrowserFiles.contentDisposition(hostile);
        Matcher m = HEADER.matcher(h);
        assertTrue(m.matches(), "not one well-formed header value: " + h);
        for (String name : new String[] {m.group(1), URLDecoder.decode(m.group(2).replace("+", "%2B"), StandardCharsets.UTF_8)}) {
            assertFalse(name.contains("/") || name.contains("\\"), "a path: " + name);
            assertFalse(name.equals(".") || name.equals("..") || name.isBlank(), "no file name: " + name);
            assertTrue(name.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR),
                    "a control character in " + name);
        }
        return h;
    }
}
