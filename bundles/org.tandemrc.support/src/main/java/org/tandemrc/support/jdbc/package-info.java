/**
 * A node's database through JDBC: H2 embedded by default, PostgreSQL where several servers share one
 * deployment; one connection per component, re-opened when it breaks, the schema brought up to date in
 * place.
 */
@Export
@NullMarked
@Version("0.1.0")
package org.tandemrc.support.jdbc;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
