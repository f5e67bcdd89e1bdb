package org.tandemrc.security.audit.internal;

/**
 * The audit trail's settings: the database keys of the Security Server's configuration
 * ({@code org.tandemrc.security.server}) and the syslog keys of its own ({@code org.tandemrc.security.audit}).
 */
@interface AuditConfig {

    /** {@code jdbc:h2:...} or {@code jdbc:postgresql://...}; empty: {@code jdbc:h2:HOME/data/security/security}. */
    String database_url() default "";

    String database_user() default "";

    String database_password() default "";

    /** The syslog receiver's host; empty: no forwarding. */
    String syslog_host() default "";

    int syslog_port() default 6514;

    /** PEM file of the certificates that sign the receiver's (empty: the Java runtime's trusted roots). */
    String syslog_ca() default "";

    /** HOSTNAME of the messages; empty: this machine's name. */
    String syslog_hostname() default "";

    /** APP-NAME of the messages. */
    String syslog_app() default "tandem";
}
