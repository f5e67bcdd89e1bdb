/**
 * A {@link org.tandemrc.api.comm.Link} over Netty channels, shared by the devices built on Netty
 * ({@code tcp}, {@code http}): {@link org.tandemrc.netty.link.ChannelLink}, and the frame decoder of
 * length-prefixed links ({@code tcp}, {@code webconnect}): {@link org.tandemrc.netty.link.FrameDecoder}. A kit, not an API: each
 * device copies this package into its own bundle.
 */
@Version("0.2.0")
package org.tandemrc.netty.link;

import org.osgi.annotation.versioning.Version;
