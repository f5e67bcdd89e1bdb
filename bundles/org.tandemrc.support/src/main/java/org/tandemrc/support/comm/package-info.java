/**
 * What the communication devices share and the API does not: the settings most of them read (as
 * {@link org.tandemrc.api.comm.DeviceSetting}s), the place a profile listens on with one wording of
 * its failures, the endpoint a device hands back, and a link's fixed facts. Nothing here knows a
 * transport library.
 */
@Export
@Version("0.4.0")
package org.tandemrc.support.comm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
