/**
 * The Guest as a library: connect to a Host, log on, and open sessions on the connection. Front ends
 * (the command line, the browser console) use this; session bundles build their own Guest-side APIs
 * on a {@link org.tandemrc.api.guest.HostConnection}.
 */
@Export
@Version("0.2.0")
package org.tandemrc.api.guest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
