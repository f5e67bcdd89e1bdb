/**
 * The Guest's side of remote control: a front end views and drives a Host's screen through
 * {@link org.tandemrc.api.screen.client.RemoteScreens}. Apart from the platform SPI in
 * {@code org.tandemrc.api.screen} (screen sources, input sinks, clipboards), so a change for front ends
 * does not move the platform plugins' package.
 */
@Export
@NullMarked
@Version("1.1.0")
package org.tandemrc.api.screen.client;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
