/**
 * What every {@code tandem admin ...} command running in a node shares:
 * {@link org.tandemrc.support.command.ExitStatus} turns a failure into its exit status and message.
 */
@Export
@Version("0.1.0")
package org.tandemrc.support.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
