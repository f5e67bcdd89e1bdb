package org.tandemrc.security.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Security Server's settings, PID {@code org.tandemrc.security.server}. The logon limits every role
 * shares ({@code logon.*}) are read by {@link org.tandemrc.protocol.logon.LogonLimits#from}; here they
 * count attempts per Guest source address and per user across every node.
 */
@ObjectClassDefinition(name = "Tandem Security Server",
        description = "Approves nodes by their keys, logs Guests on centrally, gives roles by rules, keeps the audit trail.")
@interface SecurityServerConfig {

    @AttributeDefinition(name = "Name", description = "How events and nodes name this server; empty: the computer's name.")
    String name() default "";

    @AttributeDefinition(name = "Listen", description = "DEVICE:ADDRESS:PORT where nodes connect; empty: the node's "
            + "enabled communication profiles.")
    String listen() default "tcp:0.0.0.0:" + SecuritySettings.PORT;

    @AttributeDefinition(name = "Database URL", description = "jdbc:h2:... (default: data/security/security under the "
            + "node's home) or jdbc:postgresql://HOST:PORT/DB when several Security Servers share one database.")
    String database_url() default "";

    @AttributeDefinition(name = "Database user")
    String database_user() default "";

    @AttributeDefinition(name = "Database password", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String database_password() default "";

    @AttributeDefinition(name = "Directory", description = "none, or the access method (tandem.auth.method) of an "
            + "installed Authenticator service (ldap, pam, ...) that logs on the users who are not Guest IDs here.")
    String directory() default SecuritySettings.NO_DIRECTORY;

    @AttributeDefinition(name = "One-time code roles", description = "Roles (comma-separated) whose logons always need "
            + "a one-time code, besides the users whose enrolment requires one.")
    String otp_roles() default "";

    @AttributeDefinition(name = "One-time code issuer", description = "The issuer authenticator apps show.")
    String otp_issuer() default "Tandem";
}
