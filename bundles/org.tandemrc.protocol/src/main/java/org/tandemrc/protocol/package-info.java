/**
 * The Tandem wire protocol over any {@link org.tandemrc.api.comm.Link}: a hello with protocol version
 * and capabilities, an X25519 key exchange signed by the Host's Ed25519 identity, AES-256-GCM records
 * with sequence-number nonces and rekeying, and channels multiplexed with credit-based flow control and
 * priorities. Roles (Host, Guest) drive a {@link org.tandemrc.protocol.Connection}.
 */
@Export
@Version("0.4.0")
package org.tandemrc.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
