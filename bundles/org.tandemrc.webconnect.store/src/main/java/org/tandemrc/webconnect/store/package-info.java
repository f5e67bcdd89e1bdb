/** The WebConnect database: one schema on embedded H2 or PostgreSQL. */
@Export
@Version("0.3.0")
package org.tandemrc.webconnect.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
