package org.tandemrc.api.comm;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A transport, registered as an OSGi service by its own bundle (one per device type: {@code tcp},
 * {@code udp}, {@code http}, {@code webconnect}, {@code gateway}, {@code terminal-server}).
 *
 * <p>A device carries opaque messages and nothing else: framing of the session protocol, encryption
 * and authentication happen above it. Register the service with the property
 * {@value #TYPE_PROPERTY} set to {@link #type()} so that roles can select a device by filter.
 */
@ConsumerType
public interface CommunicationDevice {

    /** Service property naming the device type, e.g. {@code tcp}. */
    String TYPE_PROPERTY = "tandem.device.type";

    /** The device type this implementation serves, e.g. {@code tcp}. Never changes. */
    String type();

    /**
     * The profile settings this device reads, so that tools which do not know the device can check and
     * show a profile. A device refuses in {@link #listen} and {@link #connect} every value its descriptor
     * refuses. Empty when the device does not say (devices built against API 1.1).
     *
     * @since 1.2
     */
    default List<DeviceSetting> settings() {
        return List.of();
    }

    /**
     * Starts listening as the profile describes.
     *
     * @param profile  the profile; its {@link CommunicationProfile#device()} equals {@link #type()}
     * @param acceptor called once for every link a peer opens; it returns the handler of that link
     * @return the endpoint, open until {@link Endpoint#close()}
     * @throws IOException when the device cannot listen, e.g. because the address is in use; the
     *                     message names the address so an operator can act on it
     * @throws IllegalArgumentException when a profile setting is invalid
     */
    Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException;

    /**
     * Opens a link to a listening peer.
     *
     * @param profile the profile whose settings (proxy, timeouts, ...) apply
     * @param address the peer address in the device's own syntax, e.g. {@code 127.0.0.1:6502}
     * @param handler receives the link's events; {@link LinkHandler#opened(Link)} comes first
     * @return completes with the open link, or exceptionally when the peer cannot be reached
     */
    CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler);
}
