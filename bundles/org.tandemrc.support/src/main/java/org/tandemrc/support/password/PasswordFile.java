package org.tandemrc.support.password;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A password file holds the password on its first line; the line break (LF or CRLF) is not part of it,
 * and neither is anything after it, so an editor's trailing newline never changes the password. Spaces
 * are kept: they may be part of a passphrase. Every role, device and command reads password files here,
 * so {@code --password-file} and {@code password-file=} mean the same everywhere.
 */
public final class PasswordFile {

    /** The longest password accepted: SRP and Argon2 inputs stay small, and so does what we read. */
    public static final int MAX_CHARS = 64;

    /** Enough bytes for {@link #MAX_CHARS} characters of any UTF-8 text and a line break. */
    private static final int MAX_BYTES = MAX_CHARS * 4 + 2;

    private PasswordFile() {
    }

    /**
     * @return the first line of the file, without its line break
     * @throws IOException when the file cannot be read, its first line is empty, or it is longer than
     *                     {@link #MAX_CHARS} characters; the message names the file, never the password
     */
    public static char[] read(Path path) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(MAX_BYTES + 1);
        }
        String text = new String(head, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        if (nl < 0 && head.length > MAX_BYTES) {
            throw new IOException("the password in " + path + " is longer than " + MAX_CHARS + " characters");
        }
        String first = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
        if (first.isEmpty()) {
            throw new IOException("the password file " + path + " is empty");
        }
        if (first.length() > MAX_CHARS) {
            throw new IOException("the password in " + path + " is longer than " + MAX_CHARS + " characters");
        }
        return first.toCharArray();
    }
}
