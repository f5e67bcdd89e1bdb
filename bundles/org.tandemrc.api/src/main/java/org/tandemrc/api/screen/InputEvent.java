package org.tandemrc.api.screen;

/** Keyboard and pointer input from a Guest, in display coordinates. */
public sealed interface InputEvent
        permits InputEvent.PointerMove, InputEvent.PointerButton, InputEvent.Wheel, InputEvent.Key {

    /**
     * The pointer moved.
     *
     * @param x horizontal position on the display
     * @param y vertical position on the display
     */
    record PointerMove(int x, int y) implements InputEvent {
    }

    /**
     * A pointer button went down or up.
     *
     * @param button  1 left, 2 middle, 3 right, as in X11
     * @param pressed true when pressed, false when released
     */
    record PointerButton(int button, boolean pressed) implements InputEvent {
    }

    /**
     * The wheel turned.
     *
     * @param dx horizontal notches, positive to the right
     * @param dy vertical notches, positive down
     */
    record Wheel(int dx, int dy) implements InputEvent {
    }

    /**
     * A key went down or up.
     *
     * @param keysym  the X11 keysym, the platform-neutral key identity used on the wire
     * @param pressed true when pressed, false when released
     */
    record Key(int keysym, boolean pressed) implements InputEvent {
    }
}
