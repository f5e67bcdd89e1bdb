package org.tandemrc.api.profile;

import org.tandemrc.api.comm.CommunicationProfile;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One communication profile as an operator configured it on this node (a ConfigAdmin factory
 * configuration of {@code org.tandemrc.profile}, e.g. the file {@code etc/org.tandemrc.profile-lan.cfg}),
 * registered as a service. A Host listens on its enabled profiles; a Guest connects with the enabled
 * profile of the address's device (or the one it names).
 */
@ProviderType
public interface ConfiguredProfile {

    /** The profile. */
    CommunicationProfile profile();

    /** Whether the profile is enabled on this node ({@code enabled=false} keeps it but unused). */
    boolean enabled();

    /** Why the profile cannot be used as configured (e.g. it names no device), if it cannot. */
    Optional<String> problem();

    /**
     * An enabled profile without problems that no file configures, e.g. the one of a {@code --listen}
     * option (parsed by {@code org.tandemrc.support.comm.ListenPlace}).
     */
    static ConfiguredProfile of(CommunicationProfile profile) {
        java.util.Objects.requireNonNull(profile, "profile");
        return new ConfiguredProfile() {
            @Override
            public CommunicationProfile profile() {
                return profile;
            }

            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Optional<String> problem() {
                return Optional.empty();
            }
        };
    }
}
