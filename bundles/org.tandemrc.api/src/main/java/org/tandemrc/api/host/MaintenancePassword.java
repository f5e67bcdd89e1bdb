package org.tandemrc.api.host;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Host's maintenance password ({@code tandem admin access maintenance}): when set, changes to the Host's
 * settings need it, from its own command line as from a Guest's tool. Registered by the Host; only a check is
 * offered, never the password or its verifier.
 */
@ProviderType
public interface MaintenancePassword {

    /** Whether the Host has a maintenance password. */
    boolean isSet() throws IOException;

    /**
     * Whether {@code password} is the maintenance password (false when none is set). A wrong one is audited
     * as a rejected password with {@code who}.
     *
     * @param who who tried, for the audit: a Guest's name, or "local"
     */
    boolean matches(char[] password, String who) throws IOException;
}
