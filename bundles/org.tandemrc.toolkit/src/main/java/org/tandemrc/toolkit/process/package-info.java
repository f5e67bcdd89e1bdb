/**
 * Running the Host's own commands for a tool: absolute paths, argv lists (never a shell string), a
 * timeout and bounded output.
 */
@NullMarked
@Version("1.0.0")
package org.tandemrc.toolkit.process;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
