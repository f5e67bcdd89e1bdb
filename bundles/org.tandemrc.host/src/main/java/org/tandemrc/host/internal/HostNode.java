package org.tandemrc.host.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.support.role.ListeningRole;
import org.tandemrc.support.role.ProfileListeners;
import org.tandemrc.support.role.RolePublisher;

/**
 * The Host role. It listens on every enabled communication profile whose device is installed
 * ({@link ProfileListeners}), and publishes a {@link org.tandemrc.api.node.NodeRole} whose properties
 * tell the kernel where it listens, what failed, and which profiles still wait for their device.
 */
@Component(service = {})
public class HostNode extends ListeningRole {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host");

    private final RolePublisher role = new RolePublisher("host");
    private BundleContext context;

    @Reference
    private GuestAccess access;

    public HostNode() {
        super("Host", LOG);
    }

    @Override
    protected Endpoint listen(CommunicationDevice device, CommunicationProfile profile) throws IOException {
        return device.listen(withIdentity(profile), access::accept);
    }

    @Activate
    synchronized void activate(BundleContext ctx) {
        listeners.commandLine("command-line", ctx.getProperty("tandem.host.listen"));
        context = ctx;
        access.listening = this::listening;
        listeners.reconcile();
        role.publish(ctx, listeners.status(List.of(), details()));
    }

    /** Where it listens now; under the lock every use of the listeners takes. */
    private synchronized List<String> listening() {
        return listeners.listening();
    }

    @Deactivate
    synchronized void deactivate() {
        context = null;
        role.withdraw();
        listeners.closeAll("the Host role stopped");
    }

    @Override
    protected void changed() {
        if (context != null) {
            listeners.reconcile();
            role.update(listeners.status(List.of(), details()));
        }
    }

    /**
     * The profile with the Host's identity added as {@code host.name} and {@code host.user}, for devices
     * that answer name queries and browsing (udp).
     */
    private CommunicationProfile withIdentity(CommunicationProfile profile) {
        Map<String, String> settings = new LinkedHashMap<>(profile.settings());
        settings.putIfAbsent("host.name", access.hostName);
        settings.putIfAbsent("host.user", System.getProperty("user.name", ""));
        return new CommunicationProfile(profile.name(), profile.device(), settings);
    }

    private List<String> details() {
        return List.of("name       " + access.hostName,
            "identity   " + access.identity.fingerprint(),
            "access     " + access.policy.method() + access.sharedPasswordRole().map(r -> ", role " + r).orElse("")
                    + (access.policyProblem == null ? "" : " (" + access.policyProblem + ")"));
    }
}
