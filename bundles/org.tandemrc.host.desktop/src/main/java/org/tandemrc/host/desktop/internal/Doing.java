package org.tandemrc.host.desktop.internal;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.MissingResourceException;
import java.util.Set;

/** What a Guest is doing, in the person's words, from the session types it has open. */
final class Doing {

    private Doing() {
    }

    static String of(List<String> sessions, Texts texts) {
        if (sessions.isEmpty()) {
            return texts.get("doing.idle");
        }
        // One phrase per kind: two screens watched at once are still "viewing the screen".
        Set<String> said = new LinkedHashSet<>();
        for (String id : sessions) {
            try {
                said.add(texts.get("doing." + id));
            } catch (MissingResourceException e) {
                said.add(id); // a third party's session type: its id is all there is
            }
        }
        return String.join(", ", said);
    }
}
