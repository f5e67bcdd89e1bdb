/**
 * Ad hoc support: a supporter's session with a person whose computer has nothing installed, and the
 * temporary Host that joins it with a code.
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.api.adhoc;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
