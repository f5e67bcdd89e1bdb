package org.tandemrc.host.desktop.internal;

import java.awt.GraphicsEnvironment;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.swing.SwingUtilities;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;

/**
 * Shows the person at the Host, while their keyboard and mouse are locked, who locked them. Learns of it
 * as the control bar does, from the Host's own audit events ({@code HACTKBD-} locked, {@code HACTKBD+}
 * unlocked, one pair per Guest session), so it shows exactly what the Host records.
 */
@Component(service = EventSink.class, immediate = true)
public class DesktopLock implements EventSink {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.host.desktop");

    private final Texts texts = new Texts(Locale.getDefault());
    private final Scale scale;
    /** Event dispatch thread only: who holds a lock now, as they are named, with how many sessions each. */
    private final Lockers lockers = new Lockers();
    private LockBar bar;

    @Activate
    public DesktopLock() {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException("no display (DISPLAY unset or java.awt.headless): nothing to show on");
        }
        scale = Scale.ofScreen();
    }

    @Deactivate
    void deactivate() {
        SwingUtilities.invokeLater(() -> {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        });
    }

    @Override
    public void record(AuditEvent event) {
        boolean locked = EventCodes.HOST_KEYBOARD_LOCKED.equals(event.code());
        if (!locked && !EventCodes.HOST_KEYBOARD_UNLOCKED.equals(event.code())) {
            return;
        }
        String name = Texts.peer(event.user());
        SwingUtilities.invokeLater(() -> {
            lockers.change(name, locked);
            try {
                if (lockers.isEmpty()) {
                    if (bar != null) {
                        bar.close();
                        bar = null;
                    }
                } else if (bar == null) {
                    bar = new LockBar(lockers.names(), texts, scale);
                    LOG.log(System.Logger.Level.INFO, "lock notice on the desktop: {0}",
                            texts.get("lock.title", lockers.names()));
                } else {
                    bar.show(lockers.names());
                }
            } catch (RuntimeException | java.awt.AWTError e) {
                LOG.log(System.Logger.Level.WARNING, "the desktop could not show that keyboard and mouse are locked: "
                        + e, e);
            }
        });
    }

    /** Who holds a lock: a Guest that locks from two sessions is named once, until both let go. */
    static final class Lockers {
        private final Map<String, Integer> holds = new LinkedHashMap<>();

        void change(String name, boolean locked) {
            if (locked) {
                holds.merge(name, 1, Integer::sum);
            } else {
                holds.computeIfPresent(name, (n, count) -> count > 1 ? count - 1 : null);
            }
        }

        boolean isEmpty() {
            return holds.isEmpty();
        }

        String names() {
            return String.join(", ", holds.keySet());
        }
    }
}
