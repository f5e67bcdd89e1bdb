package org.tandemrc.guest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The help desk of a supporter's Guest, PID {@code org.tandemrc.guest.helpdesk} (the file turns it on). */
@ObjectClassDefinition(name = "Tandem Guest help desk",
        description = "Help services this Guest offers, and where Hosts send their help requests.")
@interface HelpDeskConfig {

    @AttributeDefinition(name = "Services", description = "Help service names, comma-separated (at least one; "
            + "each at most 64 printable characters; the same name in other letter case counts once).")
    String[] services() default {};

    @AttributeDefinition(name = "Listen", description = "DEVICE:ADDRESS:PORT places where Hosts send requests, "
            + "comma-separated.")
    String[] listen() default {"tcp:0.0.0.0:6503"};

    @AttributeDefinition(name = "Most pending", description = "Requests kept waiting for a supporter at once "
            + "(1..10000).")
    int max_pending() default 50;
}
