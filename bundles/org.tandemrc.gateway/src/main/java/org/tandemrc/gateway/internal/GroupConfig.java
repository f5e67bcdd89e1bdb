package org.tandemrc.gateway.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One outgoing device group, factory PID {@code org.tandemrc.gateway.group}. */
@ObjectClassDefinition(name = "Tandem Gateway device group",
        description = "Communication profiles a Guest's route may leave the Gateway through, tried in order.")
@interface GroupConfig {

    @AttributeDefinition(name = "Name", description = "The name Guests give in their route request; empty: the "
            + "NAME of etc/org.tandemrc.gateway.group-NAME.cfg.")
    String name() default "";

    @AttributeDefinition(name = "Profiles", description = "Communication profile names, comma-separated.")
    String[] profiles() default {};
}
