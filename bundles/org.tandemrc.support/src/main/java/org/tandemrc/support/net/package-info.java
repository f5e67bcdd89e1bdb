/**
 * Addresses as people write them: {@link org.tandemrc.support.net.HostPort} ({@code host:port}, parsed
 * and printed one way). Places to listen are {@link org.tandemrc.support.comm.ListenPlace}.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.support.net;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
