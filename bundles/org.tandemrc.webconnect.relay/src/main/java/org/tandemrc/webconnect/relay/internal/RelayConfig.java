package org.tandemrc.webconnect.relay.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the Connection Server (relay), PID {@code org.tandemrc.webconnect.relay}. */
@ObjectClassDefinition(name = "Tandem WebConnect Connection Server (relay)",
        description = "Pairs dial-ins by signed token and splices their bytes, with bandwidth caps.")
@interface RelayConfig {

    @AttributeDefinition(name = "Listen", description = "ADDRESS:PORT for dial-ins; empty: the framework property "
            + "tandem.webconnect.relay.listen, else 127.0.0.1:6591.")
    String listen() default "";

    @AttributeDefinition(name = "Advertise", description = "The address clients dial; empty: the bound one.")
    String advertise() default "";

    @AttributeDefinition(name = "Relay id", description = "Empty: a new random id per start (relays are stateless).")
    String id() default "";

    @AttributeDefinition(name = "Database URL", description = "JDBC URL (H2 or PostgreSQL); empty: the node's "
            + "embedded H2 file data/webconnect.")
    String database_url() default "";

    @AttributeDefinition(name = "Database user")
    String database_user() default "";

    @AttributeDefinition(name = "Database password", type = AttributeType.PASSWORD)
    String database_password() default "";

    @AttributeDefinition(name = "Session bandwidth", description = "Bytes per second per direction of one session; "
            + "K or M suffix (1024-based); 0 = no cap.")
    String session_bandwidth() default "0";

    @AttributeDefinition(name = "Total bandwidth", description = "Bytes per second over all sessions; K or M "
            + "suffix; 0 = no cap.")
    String total_bandwidth() default "0";

    @AttributeDefinition(name = "Idle timeout", description = "Seconds without traffic before a session closes "
            + "(1..604800).")
    int idle_timeout() default 300;

    @AttributeDefinition(name = "Pairing timeout", description = "Seconds a dial-in waits for its peer (1..3600).")
    int pairing_timeout() default 20;

    @AttributeDefinition(name = "TLS", description = "Serve TLS 1.3 (also on when a certificate is given).")
    boolean tls() default false;

    @AttributeDefinition(name = "TLS certificate", description = "PEM file; empty: a self-signed certificate "
            + "generated once into data/webconnect-tls.crt.")
    String tls_certificate() default "";

    @AttributeDefinition(name = "TLS key", description = "PEM file of the certificate's private key.")
    String tls_key() default "";

    @AttributeDefinition(name = "HTTP listen", description = "ADDRESS:PORT for dial-ins through the http device; "
            + "empty: the framework property tandem.webconnect.relay.http.listen, else no tunnel.")
    String http_listen() default "";

    @AttributeDefinition(name = "HTTP advertise", description = "HOST:PORT[/PATH] added to the advertised address; "
            + "empty: the bound address.")
    String http_advertise() default "";
}
