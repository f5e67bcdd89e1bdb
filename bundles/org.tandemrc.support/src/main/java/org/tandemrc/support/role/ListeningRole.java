package org.tandemrc.support.role;

import java.io.IOException;

import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.profile.ConfiguredProfile;
import org.tandemrc.api.comm.Endpoint;

/**
 * The base of a role component that listens on the node's communication profiles (Host, Gateway): it
 * takes every {@link CommunicationDevice} and {@link ConfiguredProfile} service as it comes and goes,
 * hands them to its {@link ProfileListeners}, and tells the role. A subclass is a Declarative Services
 * component built with bnd's {@code -dsannotations-options: inherit}, so these references are its own.
 * Every callback runs under the component's lock ({@code this}).
 */
public abstract class ListeningRole {

    protected final ProfileListeners listeners;

    /**
     * @param roleName how log lines name the role, e.g. {@code Host}
     * @param log      the role's logger
     */
    protected ListeningRole(String roleName, System.Logger log) {
        listeners = new ProfileListeners(roleName, log, this::listen);
    }

    /** Listens on one profile with the device of its type. */
    protected abstract Endpoint listen(CommunicationDevice device, CommunicationProfile profile) throws IOException;

    /** A device or profile came or went: reconcile and republish, if the role is active. */
    protected abstract void changed();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    protected synchronized void bindDevice(CommunicationDevice device) {
        listeners.addDevice(device);
        changed();
    }

    protected synchronized void unbindDevice(CommunicationDevice device) {
        listeners.removeDevice(device);
        changed();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    protected synchronized void bindProfile(ConfiguredProfile profile) {
        listeners.addProfile(profile);
        changed();
    }

    protected synchronized void unbindProfile(ConfiguredProfile profile) {
        listeners.removeProfile(profile);
        changed();
    }
}
