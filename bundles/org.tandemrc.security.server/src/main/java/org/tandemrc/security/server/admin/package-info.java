/**
 * Managing the Security Server from elsewhere in its node (the browser console): its nodes, Guest IDs,
 * rules and one-time codes, through the same work as {@code tandem admin security}.
 */
@Export
@Version("1.0.0")
package org.tandemrc.security.server.admin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
