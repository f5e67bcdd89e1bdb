/**
 * Network helpers a tool and a Guest share: {@link org.tandemrc.toolkit.net.WakeOnLan}, the magic packet
 * that powers on a machine by its MAC address.
 */
@NullMarked
@Version("1.0.0")
package org.tandemrc.toolkit.net;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
