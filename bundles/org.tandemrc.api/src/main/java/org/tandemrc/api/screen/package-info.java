/**
 * Screen capture and input injection, one implementation per platform.
 */
@Export
@NullMarked
@Version("2.2.0")
package org.tandemrc.api.screen;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
