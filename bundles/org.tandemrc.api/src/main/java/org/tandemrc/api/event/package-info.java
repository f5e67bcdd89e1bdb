/**
 * Audit events and the sinks that record them (local log file, central server, syslog, ...).
 */
@Export
@NullMarked
@Version("2.6.0")
package org.tandemrc.api.event;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
