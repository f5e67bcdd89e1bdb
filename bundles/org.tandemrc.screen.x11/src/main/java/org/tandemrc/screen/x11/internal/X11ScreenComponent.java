package org.tandemrc.screen.x11.internal;

import java.io.IOException;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.host.ConnectedGuest;
import org.tandemrc.api.host.ConnectedGuests;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.LocalInputLock;
import org.tandemrc.api.screen.ScreenSource;

/**
 * Offers the X11 screen as {@link ScreenSource} and {@link InputSink}, and the lock of its keyboard and mouse
 * as {@link LocalInputLock}, when there is a display: the
 * framework property {@code tandem.display}, else {@code $DISPLAY}. A node without one (a headless
 * server) simply offers no X11 screen, and says so once in its log. Service property
 * {@value #BACKEND_PROPERTY} says which capture path is in use ({@code x11-shm} or {@code x11-getimage}).
 */
@Component(service = {}, immediate = true)
public class X11ScreenComponent {

    static final String BACKEND_PROPERTY = "tandem.screen.backend";
    private static final System.Logger LOG = System.getLogger("org.tandemrc.screen.x11");

    /** What the person at the Host reads when Esc at their keyboard took control back. */
    static final String ESCAPE_REASON = "the person at the Host pressed Esc and took back control of keyboard and mouse";

    private X11Screen screen;
    private ServiceRegistration<?> registration;
    private ServiceRegistration<?> lockRegistration;
    /** The Host's Guests, when this node is a Host: Esc at its keyboard takes control back from them. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile List<ConnectedGuests> hosts = List.of();

    @Activate
    void activate(BundleContext context) {
        String name = context.getProperty("tandem.display");
        if (name == null) {
            name = System.getenv("DISPLAY");
        }
        if (name == null || name.isBlank()) {
            LOG.log(System.Logger.Level.INFO, "no X display (DISPLAY is not set): this node offers no X11 screen");
            return;
        }
        X11Screen s = new X11Screen();
        try {
            s.open(name);
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.log(System.Logger.Level.WARNING, "X display " + name + " cannot be used: " + e.getMessage());
            return;
        }
        screen = s;
        try {
            s.watchEscape(this::escapePressed);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Esc at this display's keyboard will not take control back from a Guest: "
                    + e.getMessage());
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.ranking", 100);
        props.put(BACKEND_PROPERTY, s.backend());
        registration = context.registerService(new String[] {ScreenSource.class.getName(), InputSink.class.getName()},
                s, props);
        lockRegistration = context.registerService(LocalInputLock.class, s.inputLock(), new Hashtable<>(props));
    }

    /** Esc at the Host's own keyboard: every Guest that controls falls back to viewing, at once. */
    private void escapePressed() {
        for (ConnectedGuests h : hosts) {
            for (ConnectedGuest g : h.list()) {
                if (h.takeBackControl(g.id(), ESCAPE_REASON)) {
                    LOG.log(System.Logger.Level.INFO, "Esc at the Host's keyboard took control back from {0}", g.name());
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        if (lockRegistration != null) {
            lockRegistration.unregister();
            lockRegistration = null;
        }
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
        if (screen != null) {
            screen.close();
            screen = null;
        }
    }
}
