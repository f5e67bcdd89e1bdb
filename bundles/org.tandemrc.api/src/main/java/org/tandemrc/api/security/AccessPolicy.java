package org.tandemrc.api.security;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a proven identity into the role it has on this Host. Registered as a service with
 * {@value Authenticator#METHOD_PROPERTY} naming the access method whose identities it decides; without
 * one for the method in force the Host's own roles apply (the role each password entry names).
 * Called on a logon thread, once per successful logon.
 */
@ConsumerType
public interface AccessPolicy {

    /**
     * @return the identity's role, or empty when the identity has no access to this Host at all
     */
    Optional<Role> roleOf(Identity identity);
}
