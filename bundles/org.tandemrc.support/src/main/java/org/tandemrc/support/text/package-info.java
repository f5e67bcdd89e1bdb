/**
 * Text that came from a peer, made safe to write where a person or a parser reads it: logs, event
 * logs, history and terminals; and text written into HTML or XML.
 */
@Export
@NullMarked
@Version("1.2.0")
package org.tandemrc.support.text;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
