package org.tandemrc.host.desktop.internal;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;

import org.tandemrc.api.security.Privilege;
import org.tandemrc.support.text.PeerText;

/** The desktop's wording, from {@code Desktop.properties} in the person's locale. */
final class Texts {

    private final ResourceBundle bundle;
    private final Locale locale;

    Texts(Locale locale) {
        this.locale = locale;
        // The bundle's own class loader: the thread's context loader in a framework sees no resources of ours.
        this.bundle = ResourceBundle.getBundle("org.tandemrc.host.desktop.internal.Desktop", locale,
                Texts.class.getClassLoader());
    }

    /**
     * Text a Guest chose, for a label: escaped as everywhere ({@link PeerText}), and never starting with
     * {@code <}, since Swing renders a label that starts with {@code <html>} as HTML.
     */
    static String peer(String text) {
        String escaped = PeerText.escape(text);
        return escaped.startsWith("<") ? " " + escaped : escaped;
    }

    /**
     * Text a peer wrote, for a text area (plain text, never markup): each line escaped as everywhere
     * ({@link PeerText}), so control characters and bidirectional overrides are shown, not obeyed, while
     * the lines stay lines.
     */
    static String plain(String text) {
        return text.lines().map(PeerText::escape).collect(java.util.stream.Collectors.joining("\n"));
    }

    String get(String key, Object... args) {
        String pattern = bundle.getString(key);
        return args.length == 0 ? pattern : new MessageFormat(pattern, locale).format(args);
    }

    /** {@code key} when the texts have it, else {@code fallback}. */
    String either(String key, String fallback) {
        return bundle.containsKey(key) ? key : fallback;
    }

    /** The first character of {@code key}'s text: a button's mnemonic. */
    int mnemonic(String key) {
        return Character.toUpperCase(get(key).charAt(0));
    }

    /** What a set of privileges lets a Guest do, in the person's words, one item each. */
    List<String> allows(Set<Privilege> privileges) {
        if (privileges.isEmpty()) {
            return List.of(get("allows.nothing"));
        }
        return privileges.stream().map(this::privilege).toList();
    }

    private String privilege(Privilege p) {
        try {
            return get("privilege." + p.name());
        } catch (MissingResourceException e) {
            return p.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }
}
