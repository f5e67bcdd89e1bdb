/** Pictures for a viewer: JPEG for photo-like areas at the lossy quality presets. */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.support.image;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
