package org.tandemrc.webconnect.relay.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.webconnect.store.ServerConfig;

/**
 * The relay's own settings, PID {@code org.tandemrc.webconnect.relay}; those it shares with the
 * Connection Manager (listen, database, TLS, HTTP tunnel) are {@link ServerConfig}.
 */
@interface RelayConfig {

    @AttributeDefinition(name = "Relay id", description = "Empty: a new random id per start (relays are stateless).")
    String id() default "";

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

    @AttributeDefinition(name = "HTTP advertise", description = "HOST:PORT[/PATH] added to the advertised address; "
            + "empty: the bound address.")
    String http_advertise() default "";

    /** The whole PID as Metatype describes it: these settings and the shared ones. */
    @ObjectClassDefinition(id = RelayComponent.PID, name = "Tandem WebConnect Connection Server (relay)",
            description = "Pairs dial-ins by signed token and splices their bytes, with bandwidth caps.")
    interface Described extends RelayConfig, ServerConfig {
    }
}
