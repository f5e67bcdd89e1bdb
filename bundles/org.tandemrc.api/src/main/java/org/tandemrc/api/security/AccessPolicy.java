package org.tandemrc.api.security;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/** Turns a proven identity into the role it has on this Host. */
@ConsumerType
public interface AccessPolicy {

    /**
     * @return the identity's role, or empty when the identity has no access to this Host at all
     */
    Optional<Role> roleOf(Identity identity);
}
