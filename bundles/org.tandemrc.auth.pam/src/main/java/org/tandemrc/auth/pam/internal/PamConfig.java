package org.tandemrc.auth.pam.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.support.auth.GroupRoles;

/** Settings of the access method {@code pam}, ConfigAdmin PID {@code org.tandemrc.auth.pam}. */
@ObjectClassDefinition(name = "Tandem PAM access method",
        description = "Checks a Guest's password against an account of this machine through PAM; its groups give the role.")
@interface PamConfig {

    @AttributeDefinition(name = "PAM service", description = "The file in /etc/pam.d that decides (tandem: without"
            + " /etc/pam.d/tandem, PAM uses /etc/pam.d/other, on Debian the common auth and account stacks).")
    String service() default "tandem";

    @AttributeDefinition(name = "Group prefix", description = GroupRoles.PREFIX_DESCRIPTION)
    String group_prefix() default "";

    @AttributeDefinition(name = "Role map", description = GroupRoles.MAP_DESCRIPTION)
    String role_map() default "";
}
