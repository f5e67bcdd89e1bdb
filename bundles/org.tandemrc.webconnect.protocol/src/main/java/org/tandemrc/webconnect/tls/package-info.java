/**
 * TLS for WebConnect connections (JDK SSLEngine under Netty's SslHandler, TLS 1.3 only): server
 * identities from PEM files or a self-signed certificate generated once, client trust from a PEM file,
 * SHA-256 pins or the system trust store, and {@code tls:}/{@code tcp:} address schemes.
 */
@Export
@Version("0.3.0")
package org.tandemrc.webconnect.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
