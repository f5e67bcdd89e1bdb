/**
 * Audit events and the sinks that record them (local log file, central server, syslog, ...).
 */
@Export
@Version("0.7.0")
package org.tandemrc.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
