package org.tandemrc.api.screen.client;

import org.tandemrc.api.screen.Display;

import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * What a Guest asks for when it views a Host's screen.
 *
 * @param display         the {@link Display#id()} to show, or {@code null} for the Host's whole screen
 * @param quality         picture quality
 * @param colorDepth      colour limit
 * @param stream          {@code true} to follow changes, {@code false} for one picture
 * @param followClipboard whether the Host sends its clipboard text whenever it changes (when the role
 *                        allows the clipboard and the text is at most {@link RemoteScreen#AUTO_CLIPBOARD_LIMIT})
 */
public record ViewOptions(@Nullable String display, Quality quality, ColorDepth colorDepth, boolean stream,
        boolean followClipboard) {
    public ViewOptions {
        Objects.requireNonNull(quality, "quality");
        Objects.requireNonNull(colorDepth, "colorDepth");
    }

    /** Lossless, true colour, streaming the whole screen, clipboard on request only. */
    public static ViewOptions defaults() {
        return new ViewOptions(null, Quality.LOSSLESS, ColorDepth.TRUE_COLOR, true, false);
    }
}
