package org.tandemrc.api.files;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;

/** Opens file-transfer sessions on a Guest's connections. Registered by the file-transfer bundle. */
@ProviderType
public interface RemoteFiles {

    /**
     * Opens a file-transfer session.
     *
     * @throws GuestException when the Host refuses it (role, consent, no shared folders)
     */
    FileSession open(HostConnection connection) throws GuestException, InterruptedException;
}
