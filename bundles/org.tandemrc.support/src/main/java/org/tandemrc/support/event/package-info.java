/**
 * What a role needs to record audit events: {@link org.tandemrc.support.event.EventRecorder} hands them
 * to the node's {@link org.tandemrc.api.event.EventSink}s and log, {@link org.tandemrc.support.event.SessionEvents}
 * names the codes of a session's start and end.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.support.event;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
