package org.tandemrc.auth.pam.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the access method {@code pam}, ConfigAdmin PID {@code org.tandemrc.auth.pam}. */
@ObjectClassDefinition(name = "Tandem PAM access method",
        description = "Checks a Guest's password against an account of this machine through PAM; its groups give the role.")
@interface PamConfig {

    @AttributeDefinition(name = "PAM service", description = "The file in /etc/pam.d that decides (tandem: without"
            + " /etc/pam.d/tandem, PAM uses /etc/pam.d/other, on Debian the common auth and account stacks).")
    String service() default "tandem";

    @AttributeDefinition(name = "Group prefix", description = "Put before each group's name in the identity"
            + " (without a role map).")
    String group_prefix() default "";

    @AttributeDefinition(name = "Role map", description = "GROUP=ROLE, ...: the first entry whose group the user is"
            + " in gives the Host role; a user in none is refused. Empty: the identity carries every group.")
    String role_map() default "";
}
