/**
 * Remote management tools. A tool declares typed operations whose results are tables, forms or
 * messages, so any Guest front end can render a tool it has never seen.
 */
@Export
@NullMarked
@Version("2.0.0")
package org.tandemrc.api.tool;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
