/**
 * The invitation a person at a Host gives a supporter (Remote Assistance the other way round): the file
 * and the one copyable line the Host writes and every Guest front end reads, in one place.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.support.invitation;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
