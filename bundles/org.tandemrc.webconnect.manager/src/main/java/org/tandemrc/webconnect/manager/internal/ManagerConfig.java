package org.tandemrc.webconnect.manager.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Settings of the Connection Manager, PID {@code org.tandemrc.webconnect.manager}. The logon limits
 * ({@code logon.*}) are read by {@link org.tandemrc.protocol.logon.LogonLimits#from}, as on every role.
 */
@ObjectClassDefinition(name = "Tandem WebConnect Connection Manager",
        description = "Accounts, Host registration, relay choice and signed pairing tokens.")
@interface ManagerConfig {

    @AttributeDefinition(name = "Listen", description = "ADDRESS:PORT for Hosts and Guests; empty: the framework "
            + "property tandem.webconnect.manager.listen, else 127.0.0.1:6590.")
    String listen() default "";

    @AttributeDefinition(name = "Advertise", description = "The address Hosts and Guests are told; empty: the bound one.")
    String advertise() default "";

    @AttributeDefinition(name = "Manager id", description = "A stable id; empty: the one kept with the signing key.")
    String id() default "";

    @AttributeDefinition(name = "Database URL", description = "JDBC URL (H2 or PostgreSQL); empty: the node's "
            + "embedded H2 file data/webconnect.")
    String database_url() default "";

    @AttributeDefinition(name = "Database user")
    String database_user() default "";

    @AttributeDefinition(name = "Database password", type = AttributeType.PASSWORD)
    String database_password() default "";

    @AttributeDefinition(name = "Token validity", description = "Seconds a signed pairing token is valid (1..86400).")
    int token_validity() default 60;

    @AttributeDefinition(name = "Idle timeout", description = "Seconds without a whole frame on a control "
            + "connection before it closes (1..604800).")
    int idle_timeout() default 90;

    @AttributeDefinition(name = "Poll", description = "Milliseconds between looks for offers other managers left "
            + "for this one's Hosts (1..60000).")
    int poll() default 100;

    @AttributeDefinition(name = "Access method", description = "webconnect-account (the accounts in the database) "
            + "or the name of an installed Authenticator service.")
    String method() default ManagerServer.METHOD;

    @AttributeDefinition(name = "TLS", description = "Serve TLS 1.3 (also on when a certificate is given).")
    boolean tls() default false;

    @AttributeDefinition(name = "TLS certificate", description = "PEM file; empty: a self-signed certificate "
            + "generated once into data/webconnect-tls.crt.")
    String tls_certificate() default "";

    @AttributeDefinition(name = "TLS key", description = "PEM file of the certificate's private key.")
    String tls_key() default "";

    @AttributeDefinition(name = "HTTP listen", description = "ADDRESS:PORT for clients through the http device; "
            + "empty: the framework property tandem.webconnect.manager.http.listen, else no tunnel.")
    String http_listen() default "";
}
