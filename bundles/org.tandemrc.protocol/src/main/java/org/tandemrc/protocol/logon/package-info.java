/**
 * Logon limits shared by every role that checks a password (Host, Gateway, WebConnect Connection
 * Manager, browser console): attempts counted per source address and per target (a Host, an account)
 * and charged when a proof is verified, trusted addresses that a distributed attack cannot lock out,
 * a bound on connections waiting to log on, a rate of challenges per address, and a bounded executor
 * that keeps expensive password work off network threads; and around them the one logon engine
 * ({@link org.tandemrc.protocol.logon.LogonEngine}) that calls the access method's
 * {@code Authenticator} and {@code AccessPolicy}, with the built-in SRP method
 * ({@link org.tandemrc.protocol.logon.SrpAuthenticator}); and the one file format for accounts kept as
 * verifiers ({@link org.tandemrc.protocol.logon.VerifierFile}).
 */
@Export
@Version("0.6.0")
package org.tandemrc.protocol.logon;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
