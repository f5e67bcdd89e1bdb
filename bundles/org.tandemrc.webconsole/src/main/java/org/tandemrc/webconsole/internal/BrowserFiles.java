package org.tandemrc.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Files between the browser and a Host, which the Host's file session knows nothing of: an upload is
 * streamed to a temporary folder on this node, then copied to the Host like any of this node's files (the
 * Host checks it as it checks them); a download is copied from the Host to a temporary folder, then handed
 * to the browser once, by a ticket, as the browser's own download (streamed from disk, never whole in
 * memory). Every name from the Host or the browser is hostile until made safe here.
 */
final class BrowserFiles {

    /** The most code points of a download's name; a longer one is cut, keeping its extension. */
    static final int MAX_NAME = 120;
    /** The largest file the console takes from the browser. */
    static final long MAX_UPLOAD = 4L << 30;
    /** What an upload leaves free on this node's temporary disk. */
    static final long KEEP_FREE = 64L << 20;
    /** How long a download waits for the browser to fetch it. */
    static final long TICKET_MILLIS = 10 * 60_000L;

    /** HTTP's 507 Insufficient Storage (RFC 4918), which the servlet API names not. */
    static final int INSUFFICIENT_STORAGE = 507;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A download ready for the browser: its file on this node, its safe name, the login it is for. */
    record Ticket(Path file, String name, String login, long expires) {
    }

    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final Path temp;

    BrowserFiles(Path temp) {
        this.temp = temp;
    }

    /** A fresh folder under this node's temporary folder, for one upload or download. */
    Path folder(String prefix) throws IOException {
        return Files.createTempDirectory(temp, "tandem-console-" + prefix);
    }

    /** Hands out a download of {@code file} for the login {@code login}; the answer fetches it once. */
    String issue(Path file, String hostName, String login) {
        expire();
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        tickets.put(ticket, new Ticket(file, downloadName(hostName), login, System.currentTimeMillis() + TICKET_MILLIS));
        return ticket;
    }

    /** The download a ticket stands for, once, and only for the login it was handed to; else null. */
    Ticket take(String ticket, String login) {
        expire();
        Ticket t = ticket == null ? null : tickets.get(ticket);
        if (t == null || login == null || !java.security.MessageDigest.isEqual(t.login().getBytes(StandardCharsets.UTF_8),
                login.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return tickets.remove(ticket, t) ? t : null;
    }

    /** Sends a ticket's file as the browser's download, then deletes it. */
    static void send(Ticket t, HttpServletResponse resp) throws IOException {
        try {
            resp.setStatus(HttpServletResponse.SC_OK);
            resp.setContentType("application/octet-stream");
            resp.setHeader("Content-Disposition", contentDisposition(t.name()));
            resp.setContentLengthLong(Files.size(t.file()));
            try (OutputStream out = resp.getOutputStream()) {
                Files.copy(t.file(), out);
            }
        } finally {
            deleteTree(t.file().getParent());
        }
    }

    /** Deletes every download not fetched yet (the console stops). */
    void clear() {
        for (String ticket : tickets.keySet()) {
            Ticket t = tickets.remove(ticket);
            if (t != null) {
                deleteTree(t.file().getParent());
            }
        }
    }

    private void expire() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Ticket> e : tickets.entrySet()) {
            if (e.getValue().expires() < now && tickets.remove(e.getKey(), e.getValue())) {
                deleteTree(e.getValue().file().getParent());
            }
        }
    }

    /** Deletes a temporary folder and what is in it; what cannot be deleted stays for the system to clear. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary file; the system clears its temporary folder
        }
    }

    /**
     * A Host's file name as the browser may save it: its last part only (no folder, not . or ..), without
     * control, format or line-separator characters, at most {@link #MAX_NAME} code points.
     */
    static String downloadName(String hostName) {
        String s = hostName == null ? "" : hostName;
        s = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
        StringBuilder b = new StringBuilder();
        s.codePoints().filter(c -> !unsafe(c)).forEach(b::appendCodePoint);
        s = b.toString().strip();
        if (s.codePointCount(0, s.length()) > MAX_NAME) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
            s = s.substring(0, s.offsetByCodePoints(0, MAX_NAME - ext.codePointCount(0, ext.length()))) + ext;
        }
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "download" : s;
    }

    private static boolean unsafe(int c) {
        int type = Character.getType(c);
        return c < 0x20 || c == 0x7f || type == Character.CONTROL || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    /**
     * The Content-Disposition of a download (RFC 6266): a plain ASCII name for old clients (every other
     * character, the quote and the backslash as '_') and the whole name percent-encoded in UTF-8 (RFC 8187).
     */
    static String contentDisposition(String hostName) {
        String name = downloadName(hostName);
        StringBuilder ascii = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c < 0x7f && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    /**
     * The name an upload is saved under: one plain file name (no folder, not . or .., no control character, at
     * most 255 bytes in UTF-8), as the browser said it; anything else is refused rather than changed.
     */
    static String uploadName(String name) throws Api.Problem {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.codePoints().anyMatch(BrowserFiles::unsafe)
                || name.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, "an upload needs a plain file name (no folder, no"
                    + " control characters, at most 255 bytes), not '" + org.tandemrc.support.text.PeerText.escape(name == null ? "" : name.substring(0, Math.min(name.length(), 100))) + "'");
        }
        return name;
    }

    /** Refuses a file of {@code bytes} that would leave less than {@link #KEEP_FREE} on the temporary disk. */
    void room(long bytes) throws Api.Problem, IOException {
        if (Files.getFileStore(temp).getUsableSpace() - KEEP_FREE < bytes) {
            throw new Api.Problem(INSUFFICIENT_STORAGE, "the console's temporary folder " + temp + " has no room for "
                    + bytes + " bytes");
        }
    }

    /**
     * Streams an upload of {@code declared} bytes into a fresh folder as {@code name} and returns the file;
     * refuses it (and leaves nothing behind) when its length is unknown, above {@code max}, more than the
     * disk keeps free, or when the body holds more or fewer bytes than declared.
     */
    Path receive(InputStream in, long declared, String name, long max) throws Api.Problem, IOException {
        String safe = uploadName(name);
        if (declared < 0) {
            throw new Api.Problem(HttpServletResponse.SC_LENGTH_REQUIRED, "an upload needs its length (Content-Length)");
        }
        if (declared > max) {
            throw new Api.Problem(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, safe + " has " + declared
                    + " bytes; the console takes files of up to " + max + " bytes");
        }
        room(declared);
        Path dir = folder("upload-");
        Path file = dir.resolve(safe);
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > declared) {
                    throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, "the upload holds more bytes than its "
                            + declared + " declared");
                }
                out.write(buffer, 0, n);
            }
            if (total < declared) {
                throw new Api.Problem(HttpServletResponse.SC_BAD_REQUEST, "the upload ended after " + total + " of "
                        + declared + " bytes");
            }
            ok = true;
        } finally {
            if (!ok) {
                deleteTree(dir);
            }
        }
        return file;
    }
}
