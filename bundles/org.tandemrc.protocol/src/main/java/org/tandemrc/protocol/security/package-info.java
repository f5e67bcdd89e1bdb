/**
 * The messages a node (Host, Guest, Gateway, WebConnect manager, console) and its Security Server exchange
 * on the control channel of their {@link org.tandemrc.protocol.Connection}: the node's proof of its
 * identity key, delegated logons, buffered audit events and the Name Server's names. One codec, used by
 * the server and by every client, so the two sides cannot drift apart.
 */
@Export
@Version("0.2.0")
package org.tandemrc.protocol.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
