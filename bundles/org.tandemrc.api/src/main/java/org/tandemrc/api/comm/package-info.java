/**
 * Communication devices: transports that turn a {@link org.tandemrc.api.comm.CommunicationProfile} into
 * listening {@link org.tandemrc.api.comm.Endpoint}s and outgoing connections, each yielding a
 * {@link org.tandemrc.api.comm.Link}. Devices know nothing of sessions or cryptography.
 */
@Export
@NullMarked
@Version("2.1.0")
package org.tandemrc.api.comm;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
