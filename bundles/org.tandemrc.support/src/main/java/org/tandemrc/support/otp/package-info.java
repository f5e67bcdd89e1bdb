/**
 * One-time codes: TOTP (RFC 6238) over HMAC, their secrets in base32 and the {@code otpauth://} URI an
 * authenticator app reads from a QR code.
 */
@Export
@NullMarked
@Version("0.1.0")
package org.tandemrc.support.otp;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
