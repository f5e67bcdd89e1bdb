/**
 * Reading the Security Server's audit trail from elsewhere in its node (the browser console): search,
 * verify and CSV export, through the same work as {@code tandem admin audit}.
 */
@Export
@Version("1.0.0")
package org.tandemrc.security.audit.query;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
