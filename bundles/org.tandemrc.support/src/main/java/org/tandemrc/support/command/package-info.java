/**
 * What every {@code tandem} command running in a node shares:
 * {@link org.tandemrc.support.command.ExitStatus} turns a failure, or a Guest operation's reason, into
 * its exit status and message, and holds the table of exit statuses.
 */
@Export
@Version("0.3.0")
package org.tandemrc.support.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
