package org.tandemrc.host.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Defaults of {@code tandem admin help request}, PID {@code org.tandemrc.host.help}. */
@ObjectClassDefinition(name = "Tandem Host help request",
        description = "Defaults for the Host user's help request; each option on the command line overrides its key.")
@interface HelpConfig {

    @AttributeDefinition(name = "Provider", description = "The help service NAME the provider's Guest offers (--provider).")
    String provider() default "";

    @AttributeDefinition(name = "Address", description = "Where the help provider listens, DEVICE:ADDRESS (--to).")
    String address() default "";

    @AttributeDefinition(name = "Problem", description = "The problem text sent with the request (--problem).")
    String problem() default "";

    @AttributeDefinition(name = "Profile", description = "The communication profile to dial with, e.g. a gateway "
            + "profile (--profile).")
    String profile() default "";

    @AttributeDefinition(name = "Timeout", description = "Minutes the request stays pending, 0..9999; 0 = never "
            + "(--timeout). Checked when a request is made.")
    String timeout() default "";
}
