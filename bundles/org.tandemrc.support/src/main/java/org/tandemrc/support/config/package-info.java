/**
 * Configuration read one way: {@link org.tandemrc.support.config.TypedConfig} turns a ConfigAdmin map
 * into a component property type (dotted keys; old hyphenated spellings still read, with a warning),
 * and {@link org.tandemrc.support.config.SettingsCheck} words every refused value the same way.
 */
@Export
@Version("0.1.0")
package org.tandemrc.support.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
