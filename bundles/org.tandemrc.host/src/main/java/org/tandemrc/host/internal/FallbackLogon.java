package org.tandemrc.host.internal;

import java.io.IOException;

import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.security.Authenticator;

/**
 * The Host's configured access method, followed by its {@code fallback} when the method's server (the
 * Security Server, a directory) cannot be reached: refused, or checked by the Host's own method. Either
 * way the Host says so in its log and with a {@link EventCodes#TANDEM_SECURITY_SERVER_UNREACHABLE} event,
 * every time, so that an administrator sees each logon the central server did not decide.
 */
record FallbackLogon(Authenticator configured, GuestAccess access) implements Authenticator {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.security");

    @Override
    public String method() {
        return configured.method();
    }

    @Override
    public Exchange begin(String user, String sourceAddress) throws IOException {
        try {
            return configured.begin(user, sourceAddress);
        } catch (IOException e) {
            String local = access.policy.fallback().orElse(null);
            Authenticator own = local == null ? null : access.methods.authenticator(local).orElse(null);
            String what = "the access method " + configured.method() + " cannot be used (" + e.getMessage() + "); ";
            if (own == null) {
                LOG.log(System.Logger.Level.WARNING, what + "refused the logon of {0} from {1} (fallback = refuse)",
                        user, sourceAddress);
                access.audit.record(EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE, Severity.SECURITY, sourceAddress,
                        user, what + "logon refused (fallback = refuse)");
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, what + "checking {0} from {1} with this Host''s own method {2}",
                    user, sourceAddress, local);
            access.audit.record(EventCodes.TANDEM_SECURITY_SERVER_UNREACHABLE, Severity.WARNING, sourceAddress, user,
                    what + "checked with this Host's own method " + local + " (fallback = local)");
            return own.begin(user, sourceAddress);
        }
    }
}
