package org.tandemrc.api.screen.client;

import org.tandemrc.api.screen.Cursor;
import org.tandemrc.api.screen.Frame;
import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.Keysyms;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A Guest's view of a Host's screen, with its keyboard, mouse and clipboard. Input is sent in the
 * coordinates of the display shown and travels on its own channel, ahead of screen updates. Input the
 * Host refuses (a View only role) is reported once through {@link Listener#refused(String)}.
 */
@ProviderType
public interface RemoteScreen extends AutoCloseable {

    /** The largest clipboard text the Host sends unasked, in bytes of UTF-8. */
    int AUTO_CLIPBOARD_LIMIT = 64 * 1024;

    /** Presses or releases a key, by X11 keysym (see {@link Keysyms}). */
    void key(int keysym, boolean pressed);

    /** Presses a combination such as Ctrl+Alt+Del in order and releases it in reverse. */
    default void keys(List<Integer> keysyms) {
        for (int k : keysyms) {
            key(k, true);
        }
        for (int i = keysyms.size() - 1; i >= 0; i--) {
            key(keysyms.get(i), false);
        }
    }

    /** Types text exactly, whatever the Host's keyboard layout. */
    void type(String text);

    /** Moves the pointer to a position on the display shown. */
    void pointer(int x, int y);

    /** Presses or releases a pointer button (1 left, 2 middle, 3 right). */
    void button(int button, boolean pressed);

    /** Turns the wheel by notches (positive: right, down). */
    void wheel(int dx, int dy);

    /** Puts text on the Host's clipboard. */
    void setClipboard(String text);

    /** Asks for the Host's clipboard; it arrives through {@link Listener#clipboard(String)}. */
    void requestClipboard();

    /** Changes quality, colour limit or display while viewing; a full picture follows. */
    void change(ViewOptions options);

    /**
     * Asks the Host to lock its local keyboard and mouse, or blank its screen; refused, with the
     * reason, where the role or the Host's platform does not allow it.
     */
    void lockInput(boolean lock);

    /** See {@link #lockInput(boolean)}. */
    void blankScreen(boolean blank);

    /** Completes once the Host has handled all input and clipboard requests sent before. */
    CompletionStage<Void> sync();

    /** Ends the view; the connection stays open. */
    @Override
    void close();

    /** What a viewer hears. Calls come from one thread, in order. */
    @ConsumerType
    interface Listener {

        /**
         * The layout: the Host's displays, the one shown (the coordinate space of updates and input),
         * and the Host's capture backend. Called again after {@link RemoteScreen#change(ViewOptions)}.
         */
        void layout(List<Display> displays, Display shown, String backend);

        /**
         * Changed rectangles of the display shown, in its coordinates. The next picture is sent once
         * this returns, so a slow viewer gets fewer, newer pictures rather than a backlog.
         */
        void update(List<Frame> rectangles);

        /** The pointer moved or changed shape; a hidden pointer has an empty shape. */
        default void cursor(Cursor cursor) {
        }

        /** The Host's clipboard text, on request or, when following, as it changes. */
        default void clipboard(String text) {
        }

        /** The Host refused something (input for a View only role, the clipboard, locking). */
        default void refused(String reason) {
        }

        /**
         * The first keystroke or click of a role with control on consent asks the person at the Host for
         * keyboard and mouse now; {@link #controlAnswered(boolean)} follows.
         *
         * @since 1.1
         */
        default void askingForControl() {
        }

        /**
         * What the person at the Host answered: {@code true} when keyboard and mouse are this Guest's now;
         * {@code false} when not ({@link #refused(String)} tells why at the next input).
         *
         * @since 1.1
         */
        default void controlAnswered(boolean given) {
        }

        /** The view ended, with the reason. */
        void closed(String reason);
    }
}
