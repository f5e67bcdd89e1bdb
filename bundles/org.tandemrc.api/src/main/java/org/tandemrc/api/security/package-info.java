/**
 * Guest access security: authenticators that turn credentials into an identity, and access policies
 * that turn an identity into a role with a set of privileges.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.api.security;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
