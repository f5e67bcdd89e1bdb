/** The one meaning of a password file: see {@link org.tandemrc.support.password.PasswordFile}. */
@Export
@Version("0.1.0")
package org.tandemrc.support.password;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
