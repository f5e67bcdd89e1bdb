/**
 * Server certificates as operators hand them over: PEM files read ({@link org.tandemrc.support.tls.Certificates}),
 * a self-signed certificate made once, SHA-256 fingerprints to compare. Whatever serves TLS (the WebConnect
 * servers, the browser console) builds its context from these.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.support.tls;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
