/** Pictures for a viewer: photo-like areas as predicted planes, or as JPEG at the lossy quality presets. */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.support.image;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
