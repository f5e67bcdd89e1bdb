/**
 * What the access methods that check a password against an outside authority (a directory, the
 * operating system's PAM) share: turning the groups that authority names into the role of a Host
 * ({@link org.tandemrc.support.auth.GroupRoles}).
 */
@Export
@Version("0.1.0")
package org.tandemrc.support.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
