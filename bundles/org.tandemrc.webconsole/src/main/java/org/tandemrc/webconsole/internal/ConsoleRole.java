package org.tandemrc.webconsole.internal;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.tandemrc.api.node.NodeRole;

/**
 * Tells the node where the console is: a {@link NodeRole} of role {@code web-console} listening on the
 * HTTP endpoint, with the one-time setup link while no console password is set. The kernel prints
 * both when the node is up.
 */
@Component(service = {})
public class ConsoleRole implements NodeRole {

    static final String ROLE = "web-console";

    @Reference
    private Logins logins;

    private BundleContext context;
    private ServiceRegistration<NodeRole> registration;
    private volatile String url;

    @Reference(service = HttpServiceRuntime.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindRuntime(Map<String, Object> properties) {
        url = endpoint(properties.get("osgi.http.endpoint"));
        publish();
    }

    void updatedRuntime(Map<String, Object> properties) {
        bindRuntime(properties);
    }

    synchronized void unbindRuntime(Map<String, Object> properties) {
        if (url != null && url.equals(endpoint(properties.get("osgi.http.endpoint")))) {
            url = null;
            if (registration != null) {
                registration.unregister(); // the console is not served any more
                registration = null;
            }
        }
    }

    /** The first http endpoint, without a trailing slash. */
    static String endpoint(Object value) {
        List<String> all = new ArrayList<>();
        if (value instanceof String s) {
            all.add(s);
        } else if (value instanceof String[] a) {
            all.addAll(List.of(a));
        } else if (value instanceof java.util.Collection<?> c) {
            c.forEach(o -> all.add(String.valueOf(o)));
        }
        for (String s : all) {
            if (s.startsWith("http")) {
                return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
            }
        }
        return null;
    }

    @Activate
    synchronized void activate(BundleContext ctx) {
        this.context = ctx;
        publish();
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        context = null;
    }

    private synchronized void publish() {
        if (context == null || url == null) {
            return;
        }
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(ROLE_PROPERTY, ROLE);
        p.put(LISTENING_PROPERTY, new String[] {url + "/"});
        p.put(PROBLEMS_PROPERTY, new String[0]);
        p.put(WAITING_PROPERTY, new String[0]);
        String token = logins.setupToken();
        p.put(DETAILS_PROPERTY, token == null ? new String[0]
                : new String[] {"setup      " + url + "/#setup=" + token
                    + "  (one-time link: open it to choose the console password)"});
        if (registration == null) {
            registration = context.registerService(NodeRole.class, this, p);
        } else {
            registration.setProperties(p);
        }
    }

    @Override
    public String role() {
        return ROLE;
    }

    @Override
    public List<String> listening() {
        return url == null ? List.of() : List.of(url + "/");
    }

    @Override
    public List<String> problems() {
        return List.of();
    }
}
