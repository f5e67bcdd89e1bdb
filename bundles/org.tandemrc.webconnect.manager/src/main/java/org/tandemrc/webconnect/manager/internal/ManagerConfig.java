package org.tandemrc.webconnect.manager.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.webconnect.store.ServerConfig;

/**
 * The Connection Manager's own settings, PID {@code org.tandemrc.webconnect.manager}; those it shares
 * with the relay (listen, database, TLS, HTTP tunnel) are {@link ServerConfig}. The logon limits
 * ({@code logon.*}) are read by {@link org.tandemrc.protocol.logon.LogonLimits#from}, as on every role.
 */
@interface ManagerConfig {

    @AttributeDefinition(name = "Manager id", description = "A stable id; empty: the one kept with the signing key.")
    String id() default "";

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

    @AttributeDefinition(name = "Support sessions per supporter", description = "Open support sessions (waiting "
            + "for their Host or active) one supporter may have (1..1000).")
    int support_per$_$supporter() default 1;

    @AttributeDefinition(name = "Support sessions per account", description = "Open support sessions one account "
            + "may have (1..100000).")
    int support_per$_$account() default 5;

    @AttributeDefinition(name = "Support code validity", description = "Minutes a support code stays valid before a "
            + "Host joins with it, and the most a supporter may ask for (1..1440).")
    int support_code$_$minutes() default 20;

    @AttributeDefinition(name = "Support session lifetime", description = "Hours a support session lasts once its "
            + "Host joined, and the most a supporter may ask for (1..720).")
    int support_lifetime$_$hours() default 24;

    @AttributeDefinition(name = "Support page", description = "HOST:PORT where the HTTPS page for the person "
            + "being helped listens (the link of a support session and the temporary Host's download); empty: no "
            + "page, and sessions have no link.")
    String support_page() default "";

    @AttributeDefinition(name = "Support page URL", description = "The public base URL of the support page, which "
            + "links start with; empty: https://HOST:PORT of support.page.")
    String support_page$_$url() default "";

    @AttributeDefinition(name = "Support download", description = "The file tandem-support-host-linux-x64.sh the "
            + "page offers; empty or missing: the page says the download is not available.")
    String support_download() default "";

    @AttributeDefinition(name = "Resumption ticket validity", description = "Hours a Host's resumption ticket (given "
            + "with each registration, so it comes back after a lost connection or a manager restart without a full "
            + "logon) stays good (0..8760; 0: no tickets).")
    int resume_ticket$_$hours() default 168;

    @AttributeDefinition(name = "Concurrent logons", description = "Full logons (SRP, support codes) the manager "
            + "works on at once; one more is told to retry (1..100000).")
    int logon_concurrent() default 64;

    @AttributeDefinition(name = "Logon retry", description = "Milliseconds a logon beyond the concurrent ones is "
            + "told to wait, besides the Host's own jittered backoff (0..600000).")
    int logon_retry$_$millis() default 1000;

    /** The whole PID as Metatype describes it: these settings and the shared ones. */
    @ObjectClassDefinition(id = ManagerComponent.PID, name = "Tandem WebConnect Connection Manager",
            description = "Accounts, Host registration, relay choice and signed pairing tokens.")
    interface Described extends ManagerConfig, ServerConfig {
    }
}
