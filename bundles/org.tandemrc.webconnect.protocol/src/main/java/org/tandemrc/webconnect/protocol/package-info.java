/**
 * The WebConnect wire format shared by the Connection Manager, the Connection Servers (relays) and the
 * {@code webconnect} device: length-prefixed typed frames ({@link org.tandemrc.webconnect.protocol.Frames}),
 * their fields on the codec kit of {@code org.tandemrc.protocol.codec}, every length and count bounded
 * ({@link org.tandemrc.webconnect.protocol.Fields}), the logon and pairing frames as records that both sides
 * write and read ({@link org.tandemrc.webconnect.protocol.Logon}, {@link org.tandemrc.webconnect.protocol.Pairing}), the link's first frame end to end
 * ({@link org.tandemrc.webconnect.protocol.Hello}) and Ed25519-signed pairing tokens
 * ({@link org.tandemrc.webconnect.protocol.PairingToken}), the Host's ticket resumption and its backoff
 * ({@link org.tandemrc.webconnect.protocol.Resumption}, {@link org.tandemrc.webconnect.protocol.Backoff}).
 */
@Export
@Version("0.5.0")
package org.tandemrc.webconnect.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
