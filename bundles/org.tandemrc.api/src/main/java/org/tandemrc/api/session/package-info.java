/**
 * Session types: remote control, file transfer, chat and the rest. A session type declares the
 * privileges it needs and runs one channel on an authenticated connection, Guest side and Host side.
 */
@Export
@NullMarked
@Version("2.1.0")
package org.tandemrc.api.session;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
