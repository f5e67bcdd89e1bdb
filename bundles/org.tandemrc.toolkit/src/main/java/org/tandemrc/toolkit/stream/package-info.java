/**
 * Carrying a streaming operation's bytes: {@link org.tandemrc.toolkit.stream.SocketPipe} joins a TCP socket
 * to a flow-controlled stream, on the Host's side of a tunnel as on the Guest's.
 */
@NullMarked
@Version("1.0.0")
package org.tandemrc.toolkit.stream;

import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
