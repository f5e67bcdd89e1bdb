package org.tandemrc.host.desktop.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The Host desktop's settings, PID {@code org.tandemrc.host.desktop}. */
@ObjectClassDefinition(name = "Tandem Host desktop",
        description = "What the person at the Host sees on their desktop when Guests connect and leave.")
@interface DesktopConfig {

    @AttributeDefinition(name = "Notices", description = "Show a notice when a Guest connects or leaves, open the "
            + "window of connected Guests when one connects, and the bar with Stop while a Guest controls. Off for a "
            + "screen nobody watches (or a test that compares pixels); consent questions are asked either way. On, chats and "
            + "Guests' messages open windows here too; off, the terminal shows them.")
    boolean notices() default true;

    @AttributeDefinition(name = "Notice seconds", description = "How long a notice stays, 1..60 seconds.")
    int notice_seconds() default 8;

    @AttributeDefinition(name = "Help launcher", description = "Show a small Ask for help button in the bottom right "
            + "corner of the screen, which opens the form that sends a help request (as tandem admin help request). "
            + "The window of connected Guests has the same button.")
    boolean help_launcher() default false;
}
