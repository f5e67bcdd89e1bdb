package org.tandemrc.gateway.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Gateway's own settings, PID {@code org.tandemrc.gateway}. The logon limits every role shares
 * ({@code logon.*}) are read by {@link org.tandemrc.protocol.logon.LogonLimits#from}.
 */
@ObjectClassDefinition(name = "Tandem Gateway",
        description = "Logs Guests on (SRP) and routes their links through outgoing device groups to Hosts.")
@interface GatewayConfig {

    @AttributeDefinition(name = "Access method", description = "gateway-user (the users in etc/gateway-users) or "
            + "the name of an installed Authenticator service; either way the users file says where a user may go.")
    String method() default Gateway.METHOD;

    @AttributeDefinition(name = "Name", description = "How events name this node; empty: the computer's name.")
    String name() default "";

    @AttributeDefinition(name = "Wrong passwords", description = "Wrong passwords from one address within the "
            + "lockout time before that address is locked out for as long (0..1000; 0 = no limit).")
    int max_password_attempts() default 5;

    @AttributeDefinition(name = "Lockout minutes", description = "1..1440.")
    int lockout_minutes() default 10;

    @AttributeDefinition(name = "Logon timeout", description = "Seconds from the link's opening until the route "
            + "must be open (1..600).")
    int logon_timeout() default 30;

    @AttributeDefinition(name = "Idle timeout", description = "Seconds without a message either way after which "
            + "a route closes (0..604800; 0 = never).")
    int idle_timeout() default 0;

    @AttributeDefinition(name = "Queue limit", description = "Bytes a direction may queue when its sending link "
            + "cannot pause (2097152..1073741824).")
    int max_queue() default 16 << 20;
}
