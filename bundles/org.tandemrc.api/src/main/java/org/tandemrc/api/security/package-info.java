/**
 * Guest access security: authenticators that prove who a client is through a challenge and a proof,
 * and access policies that turn an identity into a role with a set of privileges. Both are plugin
 * interfaces; the logon engine of each node calls them.
 */
@Export
@NullMarked
@Version("2.1.0")
package org.tandemrc.api.security;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
