/**
 * The Host's live connections as the person at the Host sees them: who is connected, since when,
 * with which role, doing what; ending a connection, and starting a chat with a Guest; the invitations
 * the person makes for a supporter; the check of the maintenance password that guards the Host's settings.
 */
@Export
@NullMarked
@Version("1.3.0")
package org.tandemrc.api.host;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
