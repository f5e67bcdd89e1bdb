package org.tandemrc.auth.ldap.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.support.auth.GroupRoles;

/** Settings of the access method {@code ldap}, ConfigAdmin PID {@code org.tandemrc.auth.ldap}. */
@ObjectClassDefinition(name = "Tandem LDAP access method",
        description = "Checks a Guest's password by binding to a directory as the user; its groups give the role.")
@interface LdapConfig {

    @AttributeDefinition(name = "Directory URL", description = "ldap://HOST:PORT or ldaps://HOST:PORT; the"
            + " certificate of ldaps and StartTLS must name HOST.")
    String url() default "ldap://localhost:389";

    @AttributeDefinition(name = "StartTLS", description = "Upgrade an ldap:// connection with StartTLS before the bind.")
    boolean starttls() default false;

    @AttributeDefinition(name = "CA certificate", description = "PEM file of the CA(s) the directory's certificate"
            + " must chain to; empty: the Java runtime's trusted CAs.")
    String ca_file() default "";

    @AttributeDefinition(name = "User DN template", description = "The DN to bind as, {0} the user name (escaped as"
            + " RFC 4514 says), e.g. uid={0},ou=people,dc=example,dc=org. Empty: search with the service account.")
    String user_dn() default "";

    @AttributeDefinition(name = "User search base", description = "Where the service account searches for the user.")
    String user_base() default "";

    @AttributeDefinition(name = "User search filter", description = "{0} the user name (escaped as RFC 4515 says).")
    String user_filter() default "(uid={0})";

    @AttributeDefinition(name = "Service account DN", description = "Binds to search for users and groups; empty:"
            + " searches run as the user, after the user's bind.")
    String bind_dn() default "";

    @AttributeDefinition(name = "Service account password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String bind_password() default "";

    @AttributeDefinition(name = "Group attribute", description = "The user's attribute naming its groups by DN"
            + " (memberOf); empty: none.")
    String group_attribute() default "memberOf";

    @AttributeDefinition(name = "Group search base", description = "Non-empty: also search groups here.")
    String group_base() default "";

    @AttributeDefinition(name = "Group search filter", description = "{dn} the user's DN, {0} the user name.")
    String group_filter() default "(member={dn})";

    @AttributeDefinition(name = "Group name attribute", description = "The attribute of a group's DN that names it.")
    String group_name_attribute() default "cn";

    @AttributeDefinition(name = "Group prefix", description = GroupRoles.PREFIX_DESCRIPTION)
    String group_prefix() default "";

    @AttributeDefinition(name = "Role map", description = GroupRoles.MAP_DESCRIPTION)
    String role_map() default "";

    @AttributeDefinition(name = "Disabled attributes", description = "An account with one of these attributes (not"
            + " 'false') is refused even when the directory accepts its bind.")
    String disabled_attributes() default "pwdAccountLockedTime, nsAccountLock";

    @AttributeDefinition(name = "Connect timeout (ms)")
    int timeout_connect() default 5000;

    @AttributeDefinition(name = "Read timeout (ms)")
    int timeout_read() default 10000;
}
