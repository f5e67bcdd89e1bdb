/**
 * The Guest's phonebook: connection records kept in folders, with their credentials encrypted at
 * rest, exchanged as the reference's CSV lines and as one XML record file (.dwc) per record.
 */
@Export
@NullMarked
@Version("1.1.0")
package org.tandemrc.api.phonebook;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
