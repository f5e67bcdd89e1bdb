/**
 * Remote management tools. A tool declares typed operations whose results are tables, forms or
 * messages, so any Guest front end can render a tool it has never seen; a {@link StreamingTool} also
 * offers operations that stream (a shell, a followed log, a live table, a tunnel) over their own
 * flow-controlled channel, shown by their {@link StreamKind}.
 */
@Export
@NullMarked
@Version("2.1.0")
package org.tandemrc.api.tool;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
