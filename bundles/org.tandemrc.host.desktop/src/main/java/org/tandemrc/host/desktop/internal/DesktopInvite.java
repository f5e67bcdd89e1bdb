package org.tandemrc.host.desktop.internal;

import java.awt.GraphicsEnvironment;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.swing.SwingUtilities;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tandemrc.api.host.HostInvitations;

/**
 * <em>Invite a supporter</em> on the desktop: the window, opened from the window of connected Guests and
 * from <em>Ask for help</em>, making invitations through the Host's {@link HostInvitations}.
 */
@Component(service = DesktopInvite.class, immediate = true)
public class DesktopInvite {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HostInvitations invitations;

    private final Texts texts = new Texts(Locale.getDefault());
    private final Scale scale;
    /** One change at a time; the password's verifier takes a moment. */
    private final ExecutorService worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(4),
            r -> {
                Thread t = new Thread(r, "tandem-desktop-invite");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());
    /** Event dispatch thread only; made on first use. */
    private InviteWindow window;

    @Activate
    public DesktopInvite() {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException("no display (DISPLAY unset or java.awt.headless): nothing to show on");
        }
        scale = Scale.ofScreen();
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
        SwingUtilities.invokeLater(() -> {
            if (window != null) {
                window.dispose();
            }
        });
    }

    /** Shows the window, in front, with the keyboard. Event dispatch thread only. */
    void open() {
        if (window == null) {
            window = new InviteWindow(texts, scale, () -> invitations, worker);
        }
        window.show();
    }
}
