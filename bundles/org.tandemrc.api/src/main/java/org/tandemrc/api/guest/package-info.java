/**
 * The Guest as a library: connect to a Host, log on, and open sessions on the connection. Front ends
 * (the command line, the browser console) use this; session bundles build their own Guest-side APIs
 * on a {@link org.tandemrc.api.guest.HostConnection}. A Guest that offers help services also has a
 * {@link org.tandemrc.api.guest.HelpDesk}: Hosts dial in with help requests it holds until a supporter
 * takes one.
 */
@Export
@NullMarked
@Version("1.4.0")
package org.tandemrc.api.guest;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
