package org.tandemrc.api.comm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Finds Hosts on the network the way one device can (the {@code udp} device by broadcast and by the
 * profile's IP broadcast list). A device bundle that can browse registers this service next to its
 * {@link CommunicationDevice}, with the same {@value CommunicationDevice#TYPE_PROPERTY} property.
 *
 * <p>Hosts answer browsing only when their Host name is public; a Host that opted out is still
 * reachable by name ({@code H::NAME}) or user ({@code U::USER}) through the device's {@code connect}.
 */
@ConsumerType
public interface HostDiscovery {

    /** The device type this discovery belongs to, e.g. {@code udp}. */
    String type();

    /**
     * Asks the Hosts on the local segment and on the profile's broadcast list who they are.
     *
     * @param profile the profile whose settings (port, broadcast list...) apply
     * @param timeout how long to collect answers
     * @return completes after {@code timeout} with every Host that answered, each once, sorted by name;
     *         exceptionally when the device cannot send at all
     */
    CompletionStage<List<DiscoveredHost>> browse(CommunicationProfile profile, Duration timeout);
}
