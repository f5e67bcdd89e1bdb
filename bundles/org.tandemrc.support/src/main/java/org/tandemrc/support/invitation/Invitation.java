package org.tandemrc.support.invitation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.guest.Guest;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;

/**
 * What a supporter needs to answer an invitation, and nothing secret: the invitation's ID (the logon
 * name is {@code invitation:ID}), the Host's name, the addresses a Guest dials, the fingerprint of the
 * Host's identity key the Guest pins, and the expiry. The password the person chose is never in it; they
 * tell it the supporter another way.
 *
 * <p>The file ({@value #FILE_SUFFIX}) is UTF-8 lines {@code key=value}: {@code tandem-invitation=1}
 * first, then {@code id}, {@code host}, {@code fingerprint}, {@code expires} (ISO-8601 UTC) and one
 * {@code address} line per address. The line is {@value #LINE_PREFIX} and the file in base64url. Both
 * come from whoever sent them: {@link #parse} bounds and checks every value.
 *
 * @param id          the invitation's ID: 16 to 64 characters of base64url
 * @param host        the Host's name, as its Guests see it
 * @param addresses   where a Guest reaches the Host, as people type them ({@code tcp:192.0.2.7:6502},
 *                    {@code webconnect:HOST} through the supporter's own WebConnect profile)
 * @param fingerprint the SHA-256 fingerprint of the Host's identity key
 * @param expires     when the Host stops accepting it
 */
public record Invitation(String id, String host, List<String> addresses, String fingerprint, Instant expires) {

    /** The version this code writes and the only one it reads. */
    public static final int VERSION = 1;
    public static final String FILE_SUFFIX = ".tandem-invitation";
    public static final String LINE_PREFIX = "tandem-invitation:";
    /** The logon name of an invitation is this prefix and its ID. */
    public static final String LOGON_PREFIX = "invitation:";
    /** An invitation larger than this is no invitation: read no more of a file. */
    public static final int MAX_BYTES = 4096;
    public static final int MAX_ADDRESSES = 16;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:_@,\\[\\]/%-]{0,254}");
    private static final Pattern FINGERPRINT = Pattern.compile("[A-Za-z0-9:+/=_-]{8,128}");

    public Invitation {
        if (!validId(id)) {
            throw new IllegalArgumentException("an invitation ID is 16 to 64 characters of A-Z, a-z, 0-9, _ and -");
        }
        if (host.isBlank() || host.length() > 128 || host.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("the Host name is 1 to 128 printable characters");
        }
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("an invitation names 1 to " + MAX_ADDRESSES + " addresses");
        }
        for (String a : addresses) {
            if (!ADDRESS.matcher(a).matches()) {
                throw new IllegalArgumentException("'" + shown(a) + "' is not an address a Guest can dial");
            }
        }
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("'" + shown(fingerprint) + "' is not a key fingerprint");
        }
        addresses = List.copyOf(addresses);
    }

    /** Whether {@code id} has the form of an invitation ID. */
    public static boolean validId(String id) {
        return ID.matcher(id).matches();
    }

    /** The name a Guest logs on with. */
    public String logonName() {
        return LOGON_PREFIX + id;
    }

    /** The file's text. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("tandem-invitation=").append(VERSION).append('\n');
        b.append("id=").append(id).append('\n');
        b.append("host=").append(host).append('\n');
        b.append("fingerprint=").append(fingerprint).append('\n');
        b.append("expires=").append(expires).append('\n');
        addresses.forEach(a -> b.append("address=").append(a).append('\n'));
        return b.toString();
    }

    /** The one copyable line: the file in base64url. */
    public String line() {
        return LINE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(text().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The mail the person sends: what it is, until when (in their own time zone), the line, and that
     * the password goes another way.
     */
    public String mail(ZoneId zone, Locale locale) {
        String until = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale).withZone(zone)
                .format(expires);
        return "I would like your help on my computer " + host + " with Tandem remote control.\n"
                + "Open this invitation in Tandem (tandem guest connect --invitation, or Open invitation in the"
                + " console); it is valid until " + until + " (" + zone.getId() + "):\n\n"
                + line() + "\n\n"
                + "I will tell you the password another way (by phone).\n";
    }

    /**
     * Connects to the Host the invitation names and logs on with it: its addresses in turn until one
     * answers, accepting only the Host key it names (checked before the password is used).
     *
     * @param profile     the Guest's communication profile to connect with, or empty
     * @param unreachable told each address that did not answer, and why
     * @throws GuestException {@link GuestException.Reason#LOGON_REFUSED} when it has expired, else as
     *                        {@link Guest#connect(ConnectRequest, String)}; the last address's when none answered
     */
    public HostConnection connect(Guest guest, char[] password, String profile, BiConsumer<String, String> unreachable)
            throws GuestException, InterruptedException {
        if (!Instant.now().isBefore(expires)) {
            throw new GuestException(GuestException.Reason.LOGON_REFUSED, "the invitation of " + host
                    + " expired at " + expires + "; ask for a new one");
        }
        GuestException last = null;
        for (String address : addresses) {
            try {
                return guest.connect(new ConnectRequest(address, logonName(), password, false, profile), fingerprint);
            } catch (GuestException e) {
                if (e.reason() != GuestException.Reason.UNREACHABLE) {
                    throw e;
                }
                unreachable.accept(address, e.getMessage());
                last = e;
            }
        }
        throw last;
    }

    /** Writes the file, replacing one of the same name. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * An invitation given as its line, or as a file's path.
     *
     * @throws IllegalArgumentException when it is neither, or not a valid invitation (the message says why)
     */
    public static Invitation read(String lineOrFile) throws IOException {
        String t = lineOrFile.strip();
        if (t.startsWith(LINE_PREFIX)) {
            return parseLine(t);
        }
        Path p = Path.of(t);
        byte[] head;
        try (var in = Files.newInputStream(p)) {
            head = in.readNBytes(MAX_BYTES + 1);
        }
        if (head.length > MAX_BYTES) {
            throw new IllegalArgumentException(p + " is larger than an invitation (" + MAX_BYTES + " bytes)");
        }
        return fromText(new String(head, StandardCharsets.UTF_8));
    }

    /**
     * An invitation from what a person pasted or a file holds: the file's text, its line, or a mail
     * text with the line in it.
     */
    public static Invitation fromText(String text) {
        if (text.length() > MAX_BYTES * 2) {
            throw new IllegalArgumentException("larger than an invitation (" + MAX_BYTES + " bytes)");
        }
        for (String l : text.split("\n")) {
            if (l.strip().startsWith(LINE_PREFIX)) {
                return parseLine(l.strip());
            }
        }
        return parse(text.strip());
    }

    /** An invitation from its line. */
    public static Invitation parseLine(String line) {
        String t = line.strip();
        if (!t.startsWith(LINE_PREFIX)) {
            throw new IllegalArgumentException("an invitation line starts with " + LINE_PREFIX);
        }
        String b64 = t.substring(LINE_PREFIX.length());
        if (b64.length() > MAX_BYTES * 4 / 3 + 4) {
            throw new IllegalArgumentException("the invitation line is longer than an invitation");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the invitation line is damaged (not base64url): copy all of it");
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /** An invitation from the file's text. */
    public static Invitation parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new IllegalArgumentException("larger than an invitation (" + MAX_BYTES + " bytes)");
        }
        Map<String, String> one = new LinkedHashMap<>();
        List<String> addresses = new ArrayList<>();
        String[] lines = text.strip().split("\r?\n");
        if (lines.length == 0 || !lines[0].equals("tandem-invitation=" + VERSION)) {
            throw new IllegalArgumentException("not a Tandem invitation of version " + VERSION
                    + " (its first line must be tandem-invitation=" + VERSION + ")");
        }
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("invitation line " + (i + 1) + " is not key=value");
            }
            String key = l.substring(0, eq);
            String value = l.substring(eq + 1);
            switch (key) {
                case "address" -> {
                    if (addresses.size() == MAX_ADDRESSES) {
                        throw new IllegalArgumentException("an invitation names at most " + MAX_ADDRESSES + " addresses");
                    }
                    addresses.add(value);
                }
                case "id", "host", "fingerprint", "expires" -> {
                    if (one.put(key, value) != null) {
                        throw new IllegalArgumentException("the invitation gives '" + key + "' twice");
                    }
                }
                default -> throw new IllegalArgumentException("the invitation has an unknown key '" + shown(key) + "'");
            }
        }
        for (String key : List.of("id", "host", "fingerprint", "expires")) {
            if (!one.containsKey(key)) {
                throw new IllegalArgumentException("the invitation has no '" + key + "'");
            }
        }
        Instant expires;
        try {
            expires = Instant.parse(one.get("expires"));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("the invitation's expiry '" + shown(one.get("expires")) + "' is not a time");
        }
        return new Invitation(one.get("id"), one.get("host"), addresses, one.get("fingerprint"), expires);
    }

    private static String shown(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
