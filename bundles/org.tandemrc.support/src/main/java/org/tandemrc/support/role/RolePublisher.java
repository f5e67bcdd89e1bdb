package org.tandemrc.support.role;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.tandemrc.api.node.NodeRole;

/**
 * Keeps one {@link NodeRole} service in line with a role's {@link RoleStatus}: registered on the first
 * {@link #publish}, its properties replaced on every later one, withdrawn by {@link #withdraw}. The
 * kernel reads the properties, and the service object answers from the same status, so the two never
 * disagree.
 */
public final class RolePublisher {

    private final String role;
    private volatile RoleStatus status = RoleStatus.empty();
    /** Guarded by this. */
    private ServiceRegistration<NodeRole> registration;

    /** @param role the role name, e.g. {@code host} */
    public RolePublisher(String role) {
        this.role = role;
    }

    public String role() {
        return role;
    }

    public RoleStatus status() {
        return status;
    }

    /** Registers the role with this status, or updates the registered one. */
    public synchronized void publish(BundleContext context, RoleStatus now) {
        status = now;
        if (registration == null) {
            registration = context.registerService(NodeRole.class, new Published(), properties(now));
        } else {
            registration.setProperties(properties(now));
        }
    }

    /** Updates the registered role, if it is registered; otherwise only remembers the status. */
    public synchronized void update(RoleStatus now) {
        status = now;
        if (registration != null) {
            registration.setProperties(properties(now));
        }
    }

    /** Whether the role is registered now. */
    public synchronized boolean published() {
        return registration != null;
    }

    /** Unregisters the role; harmless when it is not registered. */
    public synchronized void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it when the bundle stopped
            }
            registration = null;
        }
    }

    private Dictionary<String, Object> properties(RoleStatus s) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(NodeRole.ROLE_PROPERTY, role);
        props.put(NodeRole.LISTENING_PROPERTY, s.listening().toArray(String[]::new));
        props.put(NodeRole.ENDPOINTS_PROPERTY, s.endpoints().toArray(String[]::new));
        props.put(NodeRole.PROBLEMS_PROPERTY, s.problems().toArray(String[]::new));
        props.put(NodeRole.WAITING_PROPERTY, s.waiting().toArray(String[]::new));
        props.put(NodeRole.DETAILS_PROPERTY, s.details().toArray(String[]::new));
        return props;
    }

    private final class Published implements NodeRole {
        @Override
        public String role() {
            return role;
        }

        @Override
        public List<String> listening() {
            return status.listening();
        }

        @Override
        public List<String> problems() {
            return status.problems();
        }
    }
}
