/**
 * Buffers used again instead of made anew, for the paths that move a few hundred megabytes a second
 * and would otherwise leave the collector a picture-sized or message-sized array per step.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.support.buffer;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
