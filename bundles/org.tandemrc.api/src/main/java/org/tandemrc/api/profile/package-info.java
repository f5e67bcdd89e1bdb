/**
 * Communication profiles as an operator configured them on a node, published by the profiles bundle
 * for the roles. Apart from the device SPI in {@code org.tandemrc.api.comm}, so a change for roles does
 * not move the devices' package.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.api.profile;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
