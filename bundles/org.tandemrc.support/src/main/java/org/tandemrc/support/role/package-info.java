/**
 * The runtime every role shares: {@link org.tandemrc.support.role.RolePublisher} keeps one
 * {@link org.tandemrc.api.node.NodeRole} service in line with what the role reports, and
 * {@link org.tandemrc.support.role.ProfileListeners} keeps a role listening on its enabled communication
 * profiles as devices and profiles come, go or change.
 */
@Export
@Version("0.1.0")
package org.tandemrc.support.role;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
