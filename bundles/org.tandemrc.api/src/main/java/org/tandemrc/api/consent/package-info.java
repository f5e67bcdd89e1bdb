/**
 * Consent: asking the person at the Host before access, control or a file push, and where to save a file a Guest offers, with a timeout.
 */
@Export
@NullMarked
@Version("1.2.0")
package org.tandemrc.api.consent;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
