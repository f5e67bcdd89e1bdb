package org.tandemrc.host.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.ConfiguredProfile;
import org.tandemrc.support.role.ProfileListeners;
import org.tandemrc.support.role.RolePublisher;

/**
 * The Host role. It listens on every enabled communication profile whose device is installed
 * ({@link ProfileListeners}), and publishes a {@link org.tandemrc.api.node.NodeRole} whose properties
 * tell the kernel where it listens, what failed, and which profiles still wait for their device.
 */
@Component(service = {})
public class HostNode {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host");

    private final ProfileListeners listeners = new ProfileListeners("Host", LOG,
            (device, profile) -> device.listen(withIdentity(profile), link -> this.access.accept(link)));
    private final RolePublisher role = new RolePublisher("host");
    private BundleContext context;

    @Reference
    private GuestAccess access;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindDevice(CommunicationDevice device) {
        listeners.addDevice(device);
        reconcile();
    }

    synchronized void unbindDevice(CommunicationDevice device) {
        listeners.removeDevice(device);
        reconcile();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindProfile(ConfiguredProfile profile) {
        listeners.addProfile(profile);
        reconcile();
    }

    synchronized void unbindProfile(ConfiguredProfile profile) {
        listeners.removeProfile(profile);
        reconcile();
    }

    @Activate
    synchronized void activate(BundleContext ctx) {
        listeners.commandLine("command-line", ctx.getProperty("tandem.host.listen"));
        context = ctx;
        listeners.reconcile();
        role.publish(ctx, listeners.status(List.of(), details()));
    }

    @Deactivate
    synchronized void deactivate() {
        context = null;
        role.withdraw();
        listeners.closeAll("the Host role stopped");
    }

    private void reconcile() {
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
            "access     " + access.policy.method() + (access.policyProblem == null ? "" : " (" + access.policyProblem + ")"));
    }
}
