/**
 * What a running node tells the kernel about itself: its role, where it listens and what failed.
 */
@Export
@Version("0.3.0")
package org.tandemrc.api.node;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
