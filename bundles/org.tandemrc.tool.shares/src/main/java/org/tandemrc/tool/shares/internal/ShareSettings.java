package org.tandemrc.tool.shares.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The {@code shares} setting of file transfer ({@value #PID}) read and written through ConfigAdmin, so a
 * change applies at once; when the setting comes from a file of {@code etc/} (FileInstall), the file's
 * {@code shares} line is rewritten too, or the next start would bring the old shares back from it.
 */
final class ShareSettings {

    static final String PID = "org.tandemrc.files";
    static final String KEY = "shares";
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";
    private static final Pattern LINE = Pattern.compile("(?m)^[ \\t]*shares[ \\t]*[=:].*(?:\\\\\\R.*)*$");

    private final ConfigurationAdmin admin;

    ShareSettings(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    /** The shares by name, in the order configured; entries that are not NAME=PATH are left out. */
    Map<String, String> read() throws IOException {
        Configuration c = existing();
        Map<String, String> shares = new LinkedHashMap<>();
        Dictionary<String, Object> p = c == null ? null : c.getProperties();
        Object value = p == null ? null : p.get(KEY);
        String text = value instanceof String[] a ? String.join(",", a) : value == null ? "" : value.toString();
        for (String item : text.split(",")) {
            int eq = item.indexOf('=');
            if (eq > 0) {
                shares.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
            }
        }
        return shares;
    }

    /** Makes {@code shares} the setting: in the file it comes from, if any, then in ConfigAdmin. */
    void write(Map<String, String> shares) throws IOException {
        StringBuilder value = new StringBuilder();
        shares.forEach((name, path) -> value.append(value.length() == 0 ? "" : ", ").append(name).append('=').append(path));
        Configuration c = existing();
        if (c == null) {
            c = admin.getConfiguration(PID, "?");
        }
        Dictionary<String, Object> old = c.getProperties();
        Hashtable<String, Object> p = new Hashtable<>();
        if (old != null) {
            for (Enumeration<String> keys = old.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                p.put(k, old.get(k));
            }
        }
        p.put(KEY, value.toString());
        Object file = p.get(FILE_PROPERTY);
        if (file != null) {
            rewrite(Path.of(URI.create(file.toString())), value.toString());
        }
        c.update(p);
    }

    /** Replaces the file's {@code shares} line (appends one when it has none), keeping every other line. */
    static void rewrite(Path file, String value) throws IOException {
        String line = KEY + " = " + value;
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        Matcher m = LINE.matcher(text);
        String updated = m.find() ? text.substring(0, m.start()) + line + text.substring(m.end())
                : text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + line + "\n";
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, updated, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Configuration existing() throws IOException {
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + PID + ")");
            return found == null || found.length == 0 ? null : found[0];
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
