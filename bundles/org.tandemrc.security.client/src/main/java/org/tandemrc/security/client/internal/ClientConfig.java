package org.tandemrc.security.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** PID {@code org.tandemrc.security.client}: where this node's Security Server is and who the node is there. */
@ObjectClassDefinition(name = "Tandem Security Server client",
        description = "This node's connection to its Security Server: delegated logons, the central audit trail, names.")
@interface ClientConfig {

    @AttributeDefinition(name = "Server", description = "The Security Server's address, DEVICE:ADDRESS, e.g. "
            + "tcp:security.example:6510 (tcp's port defaults to 6510).")
    String server() default "";

    @AttributeDefinition(name = "Fingerprint", description = "The Security Server's identity key, SHA256:... as "
            + "'tandem security-server' prints it; any other key is refused. Required.")
    String fingerprint() default "";

    @AttributeDefinition(name = "Name", description = "This node's name at the Security Server; empty: the computer's name.")
    String name() default "";

    @AttributeDefinition(name = "Kind", description = "host, guest, gateway, webconnect or console.")
    String kind() default "host";

    @AttributeDefinition(name = "Reconnect", description = "The longest wait between two attempts to reach the "
            + "server, in seconds (1..60); waits double from 1 s up to it, with jitter.")
    int reconnect() default 60;

    @AttributeDefinition(name = "Outbox size", description = "Bytes the events waiting for the server may take on "
            + "disk (data/security/outbox/), 1 MiB .. 64 GiB; when full, new events are dropped and counted.")
    long outbox_max_bytes() default 256L << 20;
}
