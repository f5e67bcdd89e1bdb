package org.tandemrc.host.desktop.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chat windows open now, by the Guest's name: the person's chats ({@link DesktopUser}) and the
 * window of connected Guests ({@link StatusWindow}, whose Chat brings one back) are two components on one
 * desktop. Event dispatch thread only.
 */
final class Chats {

    private static final Map<String, ChatWindow> OPEN = new LinkedHashMap<>();

    private Chats() {
    }

    /** Keeps {@code window} as the Guest's chat; returns the one it replaces, if any. */
    static Optional<ChatWindow> put(ChatWindow window) {
        return Optional.ofNullable(OPEN.put(window.guest(), window));
    }

    static Optional<ChatWindow> of(String guest) {
        return Optional.ofNullable(OPEN.get(guest));
    }

    /** Forgets {@code window}, unless another chat with its Guest took its place. */
    static void remove(ChatWindow window) {
        OPEN.remove(window.guest(), window);
    }

    /** Ends every chat and closes its window (the desktop goes away). */
    static void endAll(String why) {
        List<ChatWindow> all = new ArrayList<>(OPEN.values());
        OPEN.clear();
        all.forEach(w -> w.endChat(why));
    }
}
