/**
 * What a running node tells the kernel about itself: its role, where it listens and what failed.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.api.node;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
