/**
 * Writing a {@link org.tandemrc.api.tool.RemoteTool}: {@link org.tandemrc.toolkit.tool.OperationTool}
 * lists each operation with the method that runs it.
 */
@NullMarked
@Version("1.0.0")
package org.tandemrc.toolkit.tool;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
