/**
 * Guest access security: authenticators that turn credentials into an identity, and access policies
 * that turn an identity into a role with a set of privileges.
 */
@Export
@Version("0.1.0")
package org.tandemrc.api.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
