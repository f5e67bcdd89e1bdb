package org.tandemrc.host.desktop.internal;

import java.awt.GraphicsEnvironment;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.swing.SwingUtilities;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tandemrc.api.host.HostInvitations;
import org.tandemrc.api.node.Command;
import org.tandemrc.support.config.TypedConfig;

/**
 * <em>Ask for help</em> on the desktop: the form, opened from the window of connected Guests or from a
 * small launcher in the corner of the screen ({@code help.launcher = true}), sending through the Host's
 * {@code tandem admin help} command; and <em>Invite a supporter</em>, opened from both, through the Host's
 * {@link HostInvitations}.
 */
@Component(service = DesktopHelp.class, immediate = true, configurationPid = DesktopConnections.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class DesktopHelp {

    @Reference(target = "(" + Command.NAME_PROPERTY + "=admin:help)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Command command;
    /** The Host's invitations, for Invite a supporter, offered beside Ask for help. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HostInvitations invitations;

    private final Texts texts = new Texts(Locale.getDefault());
    private final Scale scale = Scale.ofScreen();
    /**
     * One request at a time, as the command allows; a status read waits behind it, and so does making an
     * invitation (its password's verifier takes a moment).
     */
    private final ExecutorService worker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(16),
            r -> {
                Thread t = new Thread(r, "tandem-desktop-help");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.DiscardPolicy());
    /** Event dispatch thread only; made on first use. */
    private HelpWindow window;
    private HelpLauncher launcher;
    private InviteWindow inviteWindow;

    @Activate
    public DesktopHelp(Map<String, Object> properties) {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException("no display (DISPLAY unset or java.awt.headless): nothing to show on");
        }
        configure(properties);
    }

    @Modified
    void configure(Map<String, Object> properties) {
        boolean wanted = TypedConfig.of(DesktopConfig.class, DesktopConnections.PID, properties).help_launcher();
        SwingUtilities.invokeLater(() -> {
            if (wanted && launcher == null) {
                launcher = new HelpLauncher(texts, scale, this::open);
            } else if (!wanted && launcher != null) {
                launcher.close();
                launcher = null;
            }
        });
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
        SwingUtilities.invokeLater(() -> {
            if (window != null) {
                window.dispose();
            }
            if (inviteWindow != null) {
                inviteWindow.dispose();
            }
            if (launcher != null) {
                launcher.close();
            }
        });
    }

    /** Shows the form, in front, with the keyboard. Event dispatch thread only. */
    void open() {
        if (window == null) {
            window = new HelpWindow(texts, scale, () -> command, worker, this::invite);
        }
        window.show();
    }

    /** Shows Invite a supporter, in front, with the keyboard. Event dispatch thread only. */
    void invite() {
        if (inviteWindow == null) {
            inviteWindow = new InviteWindow(texts, scale, () -> invitations, worker);
        }
        inviteWindow.show();
    }
}
