package org.tandemrc.protocol.logon;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.tandemrc.api.security.AccessPolicy;
import org.tandemrc.api.security.Authenticator;

/**
 * The access methods and access policies a node knows, by method name: its built-in ones, and the
 * {@link Authenticator} and {@link AccessPolicy} services present in the framework, which replace a
 * built-in one of the same name. A role binds its services here (it may do so before its engine
 * exists) and hands it to its {@link LogonEngine}.
 */
public final class LogonMethods {

    private final Map<String, Authenticator> builtIn = new ConcurrentHashMap<>();
    private final Map<String, Authenticator> services = new ConcurrentHashMap<>();
    private final Map<String, AccessPolicy> builtInPolicies = new ConcurrentHashMap<>();
    private final Map<String, AccessPolicy> policies = new ConcurrentHashMap<>();

    /** The node's own method, used unless a service of the same name is present. */
    public void builtIn(Authenticator a) {
        builtIn.put(a.method(), a);
    }

    /** The node's own policy for a method, used unless a service for it is present. */
    public void builtIn(String method, AccessPolicy p) {
        builtInPolicies.put(method, p);
    }

    public void bind(Authenticator a) {
        services.put(a.method(), a);
    }

    public void unbind(Authenticator a) {
        services.remove(a.method(), a);
    }

    /** Binds a policy service; one without {@value Authenticator#METHOD_PROPERTY} decides for no method. */
    public void bind(AccessPolicy p, Map<String, ?> properties) {
        method(properties).ifPresent(m -> policies.put(m, p));
    }

    public void unbind(AccessPolicy p, Map<String, ?> properties) {
        method(properties).ifPresent(m -> policies.remove(m, p));
    }

    public Optional<Authenticator> authenticator(String method) {
        Authenticator a = services.get(method);
        return Optional.ofNullable(a != null ? a : builtIn.get(method));
    }

    public Optional<AccessPolicy> policy(String method) {
        AccessPolicy p = policies.get(method);
        return Optional.ofNullable(p != null ? p : builtInPolicies.get(method));
    }

    /** Why a configured method cannot be used now, in the words an administrator acts on. */
    public static String unknown(String method) {
        return "the access method '" + method + "' is not installed: no built-in method and no Authenticator"
                + " service with " + Authenticator.METHOD_PROPERTY + "=" + method;
    }

    private static Optional<String> method(Map<String, ?> properties) {
        Object m = properties.get(Authenticator.METHOD_PROPERTY);
        return m instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
