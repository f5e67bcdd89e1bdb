/**
 * Warning the person at the Host before something ends their work (a restart, a shut down, a log off, a
 * locked screen): a message and a countdown they see, which they may be allowed to postpone. The desktop
 * bundle shows it in a window; a tool asks through {@link org.tandemrc.api.countdown.CountdownNotice}.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.api.countdown;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
