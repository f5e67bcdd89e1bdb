/**
 * Screen capture and input injection, one implementation per platform.
 */
@Export
@Version("0.3.0")
package org.tandemrc.api.screen;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
