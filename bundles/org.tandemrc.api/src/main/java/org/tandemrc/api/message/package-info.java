/**
 * Messages from a Guest's program: a front end sends one text to the person at a Host over a
 * {@link org.tandemrc.api.guest.HostConnection} and learns whether it was shown, without knowing the
 * message session's wire.
 */
@Export
@Version("0.1.0")
package org.tandemrc.api.message;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
