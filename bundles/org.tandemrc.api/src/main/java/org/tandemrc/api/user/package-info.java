/**
 * The person at this node: showing them a message, holding a conversation with them. On a Host that
 * is the person being helped; on a Guest, the supporter. Implementations: a terminal, a desktop
 * window, a browser console.
 */
@Export
@NullMarked
@Version("1.1.0")
package org.tandemrc.api.user;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
