package org.tandemrc.webconnect.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;

/**
 * The settings the Connection Manager and the relay share, under the same keys in each role's PID
 * ({@code org.tandemrc.webconnect.NAME}, NAME being {@code manager} or {@code relay}), read by
 * {@link ServerRole}. A role's Metatype description is an interface that extends this type and the role's
 * own one (bnd takes the attributes of every interface an object class definition extends), so each PID
 * is described whole while each shared setting is declared once.
 */
public @interface ServerConfig {

    @AttributeDefinition(name = "Listen", description = "ADDRESS:PORT; empty: the framework property "
            + "tandem.webconnect.NAME.listen, else 127.0.0.1:6590 (manager) or 127.0.0.1:6591 (relay).")
    String listen() default "";

    @AttributeDefinition(name = "Advertise", description = "The address clients are told to dial; empty: the "
            + "bound one.")
    String advertise() default "";

    @AttributeDefinition(name = "Database URL", description = "JDBC URL (H2 or PostgreSQL); empty: the node's "
            + "embedded H2 file data/webconnect.")
    String database_url() default "";

    @AttributeDefinition(name = "Database user")
    String database_user() default "";

    @AttributeDefinition(name = "Database password", type = AttributeType.PASSWORD)
    String database_password() default "";

    @AttributeDefinition(name = "TLS", description = "Serve TLS 1.3 (also on when a certificate is given).")
    boolean tls() default false;

    @AttributeDefinition(name = "TLS certificate", description = "PEM file; empty: a self-signed certificate "
            + "generated once into data/webconnect-tls.crt.")
    String tls_certificate() default "";

    @AttributeDefinition(name = "TLS key", description = "PEM file of the certificate's private key.")
    String tls_key() default "";

    @AttributeDefinition(name = "HTTP listen", description = "ADDRESS:PORT for clients through the http device; "
            + "empty: the framework property tandem.webconnect.NAME.http.listen, else no tunnel.")
    String http_listen() default "";
}
