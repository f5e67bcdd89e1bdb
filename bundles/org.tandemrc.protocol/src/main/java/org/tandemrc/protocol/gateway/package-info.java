/**
 * The Gateway logon and route protocol spoken between the {@code gateway} communication device (Guest
 * side) and a Gateway, before the Gateway splices the link to the target: message codec, SRP binding
 * and route authentication.
 */
@Export
@Version("0.1.0")
package org.tandemrc.protocol.gateway;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
