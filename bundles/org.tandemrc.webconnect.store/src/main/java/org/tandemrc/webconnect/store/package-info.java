/**
 * The WebConnect database: one schema on embedded H2 or PostgreSQL; and the start, stop and status that
 * the Connection Manager and the relay share around it ({@link org.tandemrc.webconnect.store.ServerRole}) with their shared settings
 * ({@link org.tandemrc.webconnect.store.ServerConfig}).
 */
@Export
@Version("0.7.0")
package org.tandemrc.webconnect.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
