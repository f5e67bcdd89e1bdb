package org.tandemrc.api.tool.client;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;

/** Opens remote-management sessions on a Guest's connections. Registered by the tools session bundle. */
@ProviderType
public interface RemoteTools {

    /**
     * Opens a remote-management session on the connection.
     *
     * @throws GuestException       when the Host refuses (role lacks the privilege, consent)
     * @throws InterruptedException when the calling thread is interrupted
     */
    ToolSession open(HostConnection connection) throws GuestException, InterruptedException;
}
