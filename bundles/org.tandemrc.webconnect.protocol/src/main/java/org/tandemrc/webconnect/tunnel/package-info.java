/**
 * WebConnect over the {@code http} communication device: {@link org.tandemrc.webconnect.tunnel.LinkBridge}
 * joins a device {@link org.tandemrc.api.comm.Link} to one end of a Netty {@code LocalChannel} pair, so the
 * same pipeline (TLS, frame decoder, handlers) that serves a TCP connection serves a tunnelled one;
 * {@link org.tandemrc.webconnect.tunnel.Endpoints} parses the addresses that carry both
 * ({@code [tls:|tcp:]HOST:PORT http:HOST:PORT[/PATH]}); {@link org.tandemrc.webconnect.tunnel.TunnelDevice}
 * holds the http device of a manager's or relay's component and restarts it only when its tunnel needs it;
 * {@link org.tandemrc.webconnect.tunnel.Listening} is the listening side both servers share.
 */
@Export
@Version("0.3.0")
package org.tandemrc.webconnect.tunnel;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
