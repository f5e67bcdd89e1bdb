/**
 * File transfer between a Guest and the folders a Host shares: listing and changing them, and
 * copy, move, synchronize and clone between any two places (this Guest's disk or a Host's shares), and
 * offering one file to the person at a Host, who saves it where they choose.
 */
@Export
@NullMarked
@Version("1.1.0")
package org.tandemrc.api.files;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
