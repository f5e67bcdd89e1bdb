/**
 * Writing a {@link org.tandemrc.api.session.SessionType}:
 * {@link org.tandemrc.toolkit.session.LocalUserSessionType} hands a session type the person at this
 * node, as chat and message have it.
 */
@NullMarked
@Version("0.1.0")
package org.tandemrc.toolkit.session;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
