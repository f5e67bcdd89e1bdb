package org.tandemrc.protocol.logon;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.tandemrc.api.security.AccessPolicy;
import org.tandemrc.api.security.Authenticator;

/**
 * The access methods and access policies a node knows, by method name: its built-in ones, and the
 * {@link Authenticator} and {@link AccessPolicy} services present in the framework, which replace a
 * built-in one of the same name. The services are read as each logon starts, from what the role's
 * DS references hold now (an AccessPolicy with its service properties, which name its method).
 */
public final class LogonMethods {

    private final Map<String, Authenticator> builtIn = new ConcurrentHashMap<>();
    private final Map<String, AccessPolicy> builtInPolicies = new ConcurrentHashMap<>();
    private final Supplier<? extends Collection<Authenticator>> services;
    private final Supplier<? extends Collection<Map.Entry<Map<String, Object>, AccessPolicy>>> policies;

    /** Only built-in methods. */
    public LogonMethods() {
        this(List::of, List::of);
    }

    /**
     * @param services the Authenticator services present now
     * @param policies the AccessPolicy services present now, each with its service properties
     */
    public LogonMethods(Supplier<? extends Collection<Authenticator>> services,
            Supplier<? extends Collection<Map.Entry<Map<String, Object>, AccessPolicy>>> policies) {
        this.services = services;
        this.policies = policies;
    }

    /** The node's own method, used unless a service of the same name is present. */
    public void builtIn(Authenticator a) {
        builtIn.put(a.method(), a);
    }

    /** The node's own policy for a method, used unless a service for it is present. */
    public void builtIn(String method, AccessPolicy p) {
        builtInPolicies.put(method, p);
    }

    public Optional<Authenticator> authenticator(String method) {
        for (Authenticator a : services.get()) {
            if (method.equals(a.method())) {
                return Optional.of(a);
            }
        }
        return Optional.ofNullable(builtIn.get(method));
    }

    /** The policy service whose {@value Authenticator#METHOD_PROPERTY} names the method, else the built-in one. */
    public Optional<AccessPolicy> policy(String method) {
        for (Map.Entry<Map<String, Object>, AccessPolicy> e : policies.get()) {
            if (method.equals(e.getKey().get(Authenticator.METHOD_PROPERTY))) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.ofNullable(builtInPolicies.get(method));
    }

    /** Whether a configured method name is one a node accepts: a-z, 0-9, '.' and '-', at most 64. */
    public static boolean validName(String method) {
        return method.matches("[a-z0-9][a-z0-9.-]{0,63}");
    }

    /** Why a configured method cannot be used now, in the words an administrator acts on. */
    public static String unknown(String method) {
        return "the access method '" + method + "' is not installed: no built-in method and no Authenticator"
                + " service with " + Authenticator.METHOD_PROPERTY + "=" + method;
    }
}
