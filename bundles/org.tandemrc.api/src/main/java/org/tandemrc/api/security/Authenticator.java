package org.tandemrc.api.security;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One Guest access method: shared password, individual Guest IDs, OS accounts, directory (LDAP),
 * Security Server, second factor. Registered as a service with {@value #METHOD_PROPERTY} set to
 * {@link #method()}; the Host's configuration selects the method by that name.
 */
@ConsumerType
public interface Authenticator {

    /** Service property naming the access method. */
    String METHOD_PROPERTY = "tandem.auth.method";

    /** The access method's name, e.g. {@code shared-password}. */
    String method();

    /**
     * Checks credentials. Must not throw for wrong credentials: those are a {@link AuthResult#denied
     * denied} result. Counting failed attempts and acting on them is the Host's job, not this one's.
     *
     * @throws java.io.IOException when the method's backing store (directory, server) is unreachable
     */
    AuthResult authenticate(Credentials credentials) throws java.io.IOException;
}
