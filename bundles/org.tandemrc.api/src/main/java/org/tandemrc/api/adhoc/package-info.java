/**
 * Ad hoc support for a computer with nothing installed: the supporter's {@link org.tandemrc.api.adhoc.SupportDesk}
 * makes support sessions at a WebConnect Connection Manager (a code to read out, a link for the person),
 * and the temporary Host that joined one ({@link org.tandemrc.api.adhoc.JoinedSupport}) watches and ends it.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.api.adhoc;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
