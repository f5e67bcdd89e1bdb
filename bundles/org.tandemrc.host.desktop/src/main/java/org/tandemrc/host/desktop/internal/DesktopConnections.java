package org.tandemrc.host.desktop.internal;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.swing.SwingUtilities;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.host.ConnectedGuest;
import org.tandemrc.api.host.ConnectedGuests;
import org.tandemrc.support.config.TypedConfig;

/**
 * Tells the person at the Host who connects and leaves, and keeps the window of connected Guests with
 * its Disconnect buttons. Learns of logons and hang-ups from the Host's own audit events ({@code HSES+},
 * {@code HSES-}), so it sees exactly what the Host records; the list and the disconnecting go through
 * {@link ConnectedGuests}.
 */
@Component(service = EventSink.class, immediate = true, configurationPid = DesktopConnections.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class DesktopConnections implements EventSink {

    static final String PID = "org.tandemrc.host.desktop";
    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.desktop");

    private final ConnectedGuests guests;
    /** Ask for help, when the Host has it: the window of connected Guests offers it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DesktopHelp help;
    private final Texts texts = new Texts(Locale.getDefault());
    private volatile DesktopConfig config;
    private Scale scale;
    /** Created on first use; event dispatch thread only, like the notices. */
    private StatusWindow status;
    private final List<Notice> notices = new ArrayList<>();
    /** The control bar of each Guest that can use keyboard and mouse, by name and address. */
    private final Map<String, ControlBar> bars = new HashMap<>();

    @Activate
    public DesktopConnections(@Reference ConnectedGuests guests, Map<String, Object> properties) {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException("no display (DISPLAY unset or java.awt.headless): nothing to show on");
        }
        this.guests = guests;
        this.config = TypedConfig.of(DesktopConfig.class, PID, properties);
        this.scale = Scale.ofScreen();
    }

    @Modified
    void modified(Map<String, Object> properties) {
        config = TypedConfig.of(DesktopConfig.class, PID, properties);
    }

    @Deactivate
    void deactivate() {
        SwingUtilities.invokeLater(() -> {
            notices.forEach(Notice::close);
            notices.clear();
            bars.values().forEach(ControlBar::close);
            bars.clear();
            if (status != null) {
                status.dispose();
            }
        });
    }

    @Override
    public void record(AuditEvent event) {
        if (EventCodes.HOST_INPUT_ASSIGNED.equals(event.code()) || EventCodes.HOST_INPUT_REVOKED.equals(event.code())) {
            Optional<ConnectedGuest> who = guest(event);
            SwingUtilities.invokeLater(() -> control(event, who));
            return;
        }
        boolean connected = EventCodes.HOST_SESSION_STARTED.equals(event.code());
        boolean left = EventCodes.HOST_SESSION_STOPPED.equals(event.code());
        if (!connected && !left) {
            return;
        }
        // The list is read now, on the Host's thread: the Guest is in it exactly while logged on.
        Optional<ConnectedGuest> who = connected ? guest(event) : Optional.empty();
        SwingUtilities.invokeLater(() -> show(event, connected, who));
    }

    /** The connected Guest an event is about (the newest, should one name log on twice from one address). */
    private Optional<ConnectedGuest> guest(AuditEvent event) {
        return guests.list().stream().filter(g -> g.name().equals(event.user()) && g.address().equals(event.peer()))
                .reduce((a, b) -> b);
    }

    /** Shows the control bar while the Guest's keyboard-and-mouse session is open, and removes it after. */
    private void control(AuditEvent event, Optional<ConnectedGuest> who) {
        String key = event.user() + "\n" + event.peer();
        ControlBar old = bars.remove(key);
        if (old != null) {
            old.close();
        }
        if (EventCodes.HOST_INPUT_REVOKED.equals(event.code()) || who.isEmpty() || !config.notices()) {
            return;
        }
        String id = who.get().id();
        String name = Texts.peer(event.user());
        try {
            bars.put(key, new ControlBar(name, texts, scale, () -> guests.takeBackControl(id, texts.get("control.reason"))));
            LOG.log(System.Logger.Level.INFO, "control bar on the desktop: {0}", texts.get("control.title", name));
        } catch (RuntimeException | java.awt.AWTError e) {
            LOG.log(System.Logger.Level.WARNING, "the desktop could not show the control bar: " + e, e);
        }
    }

    private void show(AuditEvent event, boolean connected, Optional<ConnectedGuest> who) {
        DesktopConfig c = config;
        try {
            if (status != null && status.isShowing()) {
                status.update();
            }
            if (!c.notices()) {
                return;
            }
            String name = Texts.peer(event.user());
            String title;
            String text;
            if (connected) {
                title = texts.get("notice.connected.title", name);
                text = texts.get("notice.connected", name, who.map(g -> Texts.peer(g.role().name())).orElse("?"),
                        Texts.peer(event.peer()));
                status().show(false);
            } else {
                title = texts.get("notice.left.title", name);
                text = texts.get("notice.left", name);
            }
            int seconds = Math.max(1, Math.min(60, c.notice_seconds()));
            notices.removeIf(n -> !n.isShowing());
            notices.add(new Notice(title, text, texts, scale, seconds, notices.size(), () -> status().show(true)));
            LOG.log(System.Logger.Level.INFO, "notice on the desktop: {0}", title);
        } catch (RuntimeException | java.awt.AWTError e) {
            LOG.log(System.Logger.Level.WARNING, "the desktop could not show a notice: " + e, e);
        }
    }

    private StatusWindow status() {
        if (status == null) {
            status = new StatusWindow(guests, texts, scale, () -> {
                DesktopHelp h = help;
                if (h != null) {
                    h.open();
                }
            }, () -> {
                DesktopHelp h = help;
                if (h != null) {
                    h.invite();
                }
            });
        }
        return status;
    }
}
