package org.tandemrc.host.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One custom security role, factory PID {@code org.tandemrc.host.role}. */
@ObjectClassDefinition(name = "Tandem Host security role",
        description = "What a Guest logged on with this role may do; a role with a built-in role's name replaces it.")
@interface RoleConfig {

    @AttributeDefinition(name = "Name", description = "The role's name; empty: the NAME of "
            + "etc/org.tandemrc.host.role-NAME.cfg.")
    String name() default "";

    @AttributeDefinition(name = "Privileges", description = "Privilege names, comma-separated (e.g. chat, "
            + "send_message), or all.")
    String[] privileges() default {};

    @AttributeDefinition(name = "Confirm access", description = "Whether the person at the Host confirms each logon.")
    boolean confirm_access() default false;

    @AttributeDefinition(name = "Confirm control", description = "Whether the person at the Host gives keyboard and "
            + "mouse separately: the Guest views once access is granted and controls once the person agrees.")
    boolean confirm_control() default false;
}
