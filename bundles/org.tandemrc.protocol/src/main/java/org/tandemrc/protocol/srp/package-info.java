/**
 * Password proof without the password on the wire: SRP-6a (RFC 5054, 3072-bit group, SHA-256) over an
 * Argon2id pre-hash, with proofs bound to the key exchange of the connection. Hosts store only
 * {@link org.tandemrc.protocol.srp.PasswordVerifier}s.
 */
@Export
@Version("0.3.0")
package org.tandemrc.protocol.srp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
