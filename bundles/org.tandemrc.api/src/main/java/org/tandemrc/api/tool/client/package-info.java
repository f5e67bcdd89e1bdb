/**
 * The Guest's side of remote management: a front end opens a {@link org.tandemrc.api.tool.client.ToolSession}
 * on a connection, lists the tools a Host offers and runs their operations. Apart from the plugin SPI in
 * {@code org.tandemrc.api.tool}, so a change for front ends does not move the tools' package.
 */
@Export
@NullMarked
@Version("1.1.0")
package org.tandemrc.api.tool.client;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
