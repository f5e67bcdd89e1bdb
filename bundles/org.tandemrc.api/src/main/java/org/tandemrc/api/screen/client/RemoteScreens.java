package org.tandemrc.api.screen.client;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;

/** Views and drives a Host's screen on a Guest's connection. Registered by the remote-control bundle. */
@ProviderType
public interface RemoteScreens {

    /**
     * Opens remote control on a connection. The listener hears the screen's layout first, then
     * pictures, pointer and clipboard changes, and finally why the view ended.
     *
     * @throws GuestException when the Host refuses remote control
     */
    RemoteScreen open(HostConnection connection, ViewOptions options, RemoteScreen.Listener listener)
            throws GuestException, InterruptedException;
}
