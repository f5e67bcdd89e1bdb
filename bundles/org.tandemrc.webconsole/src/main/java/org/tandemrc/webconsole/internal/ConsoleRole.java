package org.tandemrc.webconsole.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.tandemrc.support.role.RolePublisher;
import org.tandemrc.support.role.RoleStatus;

/**
 * Tells the node where the console is: a {@link org.tandemrc.api.node.NodeRole} of role {@code web-console} listening on the
 * HTTP endpoint, with the one-time setup link while the console has no account and, under HTTPS, the
 * certificate's fingerprint to compare with the browser's. The kernel prints them when the node is up.
 */
@Component(service = {})
public class ConsoleRole {

    static final String ROLE = "web-console";
    /** Framework properties the launcher sets when the console serves HTTPS. */
    static final String FINGERPRINT = "tandem.console.tls.fingerprint";
    static final String CERTIFICATE = "tandem.console.tls.certificate";

    @Reference
    private Logins logins;

    private BundleContext context;
    private final RolePublisher role = new RolePublisher(ROLE);
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
            role.withdraw(); // the console is not served any more
        }
    }

    /** The first http(s) endpoint without brackets (else the first), without a trailing slash. */
    static String endpoint(Object value) {
        List<String> all = new ArrayList<>();
        if (value instanceof String s) {
            all.add(s);
        } else if (value instanceof String[] a) {
            all.addAll(List.of(a));
        } else if (value instanceof java.util.Collection<?> c) {
            c.forEach(o -> all.add(String.valueOf(o)));
        }
        // Listening on every address lists them all: an IPv4 address is the one people can type.
        String first = null;
        for (String s : all) {
            if (s.startsWith("http")) {
                String url = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
                if (!url.contains("[")) {
                    return url;
                }
                first = first == null ? url : first;
            }
        }
        return first;
    }

    @Activate
    synchronized void activate(BundleContext ctx) {
        this.context = ctx;
        publish();
    }

    @Deactivate
    synchronized void deactivate() {
        role.withdraw();
        context = null;
    }

    private synchronized void publish() {
        if (context == null || url == null) {
            return;
        }
        String token = logins.setupToken();
        List<String> details = new ArrayList<>();
        String fingerprint = context.getProperty(FINGERPRINT);
        if (fingerprint != null) {
            details.add("https      certificate " + context.getProperty(CERTIFICATE) + ", SHA-256 " + fingerprint
                    + "  (the browser shows it under the certificate's details: compare before you log in)");
        }
        if (token != null) {
            details.add("setup      " + url + "/#setup=" + token + "  (one-time link: open it to create the first administrator account)");
        }
        role.publish(context, new RoleStatus(List.of(url + "/"), List.of(), List.of(), details, List.of()));
    }
}
