package org.tandemrc.comm.gateway.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.support.password.PasswordFile;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;
import org.tandemrc.api.comm.Endpoint;
import org.tandemrc.api.comm.Link;
import org.tandemrc.api.comm.LinkAcceptor;
import org.tandemrc.api.comm.LinkHandler;
import org.tandemrc.api.comm.TandemDeviceType;
import org.tandemrc.support.comm.DescribedDevice;

/**
 * The {@code gateway} device: reaches a Host through a Tandem Gateway. It opens a link to the Gateway
 * with another device ({@code gateway = tcp:10.0.0.1:6502}, {@code http:gw.example:1970}...), logs on
 * with SRP-6a (the password never crosses the wire), asks for a route through a device group to the
 * address given to {@link #connect}, and then carries the session's messages unchanged.
 *
 * <p>Profile settings: {@code gateway} (required: DEVICE:ADDRESS of the Gateway), {@code group}
 * (the Gateway device group, default {@code default}), {@code user}, {@code password} or
 * {@code password-file} (first line), {@code connect-timeout} (seconds for reaching the Gateway,
 * logon and route together; default 30). All other settings (e.g. {@code max-message}, {@code proxy})
 * are passed to the device that reaches the Gateway.
 */
@Component(service = CommunicationDevice.class)
@TandemDeviceType(GatewayDevice.TYPE)
public class GatewayDevice extends DescribedDevice {

    static final String TYPE = "gateway";
    /** Settings of this device, not passed to the device that reaches the Gateway. */
    private static final Set<String> OWN = Set.of("gateway", "group", "user", "password", "password-file");

    private static final DeviceSetting CONNECT_TIMEOUT = DeviceSetting.integer("connect-timeout", 30, 1, 600,
            "seconds for reaching the Gateway, logon and route together");
    /** Its own settings; the rest go to the device that reaches the Gateway, which checks them. */
    private static final List<DeviceSetting> SETTINGS = List.of(
            DeviceSetting.text("gateway", null, "the Gateway as DEVICE:ADDRESS, e.g. tcp:10.0.0.1:6502"),
            DeviceSetting.text("group", "default", "the Gateway device group that routes to the Host"),
            DeviceSetting.text("user", null, "the Gateway logon name"),
            DeviceSetting.secret("password", "the Gateway logon password"),
            DeviceSetting.text("password-file", null, "file whose first line is the Gateway logon password"),
            CONNECT_TIMEOUT);

    private final List<CommunicationDevice> devices = new CopyOnWriteArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private ExecutorService work;
    private ScheduledExecutorService timer;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(!(" + TYPE_PROPERTY + "=" + TYPE + "))")
    public void bindDevice(CommunicationDevice device) {
        devices.add(device);
    }

    public void unbindDevice(CommunicationDevice device) {
        devices.remove(device);
    }

    public GatewayDevice() {
        super(TYPE, SETTINGS);
    }

    @Activate
    public void activate() {
        // Argon2id (about 0.1 s) and SRP run here, never on a device's I/O thread.
        work = Executors.newFixedThreadPool(2, daemon("tandem-gateway-logon"));
        timer = Executors.newSingleThreadScheduledExecutor(daemon("tandem-gateway-timer"));
    }

    @Deactivate
    public void deactivate() {
        work.shutdownNow();
        timer.shutdownNow();
    }

    @Override
    public Endpoint listen(CommunicationProfile profile, LinkAcceptor acceptor) throws IOException {
        throw new IOException("profile '" + profile.name() + "': the gateway device cannot listen; a Gateway reaches"
                + " Hosts with its outgoing device groups, so listen with the device the Gateway uses (e.g. tcp)");
    }

    @Override
    public CompletionStage<Link> connect(CommunicationProfile profile, String address, LinkHandler handler) {
        CompletableFuture<Link> result = new CompletableFuture<>();
        try {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("no target address: write the Host's address as the Gateway's device"
                        + " group knows it, e.g. 10.0.0.5:6502");
            }
            Setup s = setup(profile);
            GatewayLink link = new GatewayLink(s.gatewayAddress, s.user, s.password, s.group, address.trim(), handler,
                    result, null, work, random);
            start(s, link, result);
        } catch (IllegalArgumentException | IOException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * The device groups the profile's user may use on its Gateway (the reference's "browse for device
     * groups").
     */
    public CompletionStage<List<String>> groups(CommunicationProfile profile) {
        CompletableFuture<List<String>> groups = new CompletableFuture<>();
        CompletableFuture<Link> result = new CompletableFuture<>();
        try {
            Setup s = setup(profile);
            GatewayLink link = new GatewayLink(s.gatewayAddress, s.user, s.password, s.group, null, null, result,
                    groups, work, random);
            start(s, link, result);
            result.whenComplete((l, e) -> {
                if (e != null) {
                    groups.completeExceptionally(e);
                }
            });
        } catch (IllegalArgumentException | IOException e) {
            groups.completeExceptionally(e);
        }
        return groups;
    }

    private record Setup(CommunicationDevice device, CommunicationProfile inner, String innerAddress,
            String gatewayAddress, String user, char[] password, String group, int timeoutSeconds) {
    }

    private Setup setup(CommunicationProfile profile) throws IOException {
        String gateway = profile.text("gateway", "");
        int colon = gateway.indexOf(':');
        if (colon <= 0 || colon == gateway.length() - 1) {
            throw new IllegalArgumentException("profile '" + profile.name() + "': gateway=" + gateway
                    + " must name the Gateway as DEVICE:ADDRESS, e.g. tcp:10.0.0.1:6502");
        }
        String deviceType = gateway.substring(0, colon);
        if (deviceType.equals(TYPE)) {
            throw new IllegalArgumentException("profile '" + profile.name() + "': a Gateway is reached with another"
                    + " device (tcp, http...); to chain Gateways, give the first Gateway a device group whose profile"
                    + " uses the gateway device");
        }
        CommunicationDevice device = null;
        for (CommunicationDevice d : devices) {
            if (d.type().equals(deviceType)) {
                device = d;
                break;
            }
        }
        if (device == null) {
            throw new IOException("cannot reach the Gateway at " + gateway + ": the " + deviceType
                    + " communication device is not installed");
        }
        String user = profile.text("user", "");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("profile '" + profile.name() + "': user= is missing (the Gateway logon name)");
        }
        char[] password = password(profile);
        int timeout = profile.integer(CONNECT_TIMEOUT);
        Map<String, String> innerSettings = new LinkedHashMap<>();
        profile.settings().forEach((k, v) -> {
            if (!OWN.contains(k)) {
                innerSettings.put(k, v);
            }
        });
        CommunicationProfile inner = new CommunicationProfile(profile.name(), deviceType, innerSettings);
        return new Setup(device, inner, gateway.substring(colon + 1), gateway, user, password,
                profile.text("group", "default"), timeout);
    }

    private void start(Setup s, GatewayLink link, CompletableFuture<Link> result) {
        var timeout = timer.schedule(() -> link.fail("no answer from the Gateway at " + s.gatewayAddress + " within "
                + s.timeoutSeconds + " s"), s.timeoutSeconds, TimeUnit.SECONDS);
        result.whenComplete((l, e) -> timeout.cancel(false));
        s.device.connect(s.inner, s.innerAddress, link).whenComplete((inner, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                link.fail("cannot reach the Gateway at " + s.gatewayAddress + ": " + cause.getMessage());
            }
        });
    }

    private static char[] password(CommunicationProfile profile) throws IOException {
        String file = profile.text("password-file", "");
        if (!file.isEmpty()) {
            try {
                return PasswordFile.read(Path.of(file));
            } catch (IOException e) {
                throw new IOException("profile '" + profile.name() + "': " + e.getMessage(), e);
            }
        }
        String password = profile.settings().get("password");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("profile '" + profile.name()
                    + "': give the Gateway logon password with password-file= (or password=)");
        }
        return password.toCharArray();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
