package org.tandemrc.session.remotecontrol.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.osgi.service.component.annotations.FieldOption.UPDATE;
import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.screen.Clipboard;
import org.tandemrc.api.screen.client.RemoteScreen;
import org.tandemrc.api.screen.client.RemoteScreens;
import org.tandemrc.api.screen.LocalInputLock;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.screen.client.ViewOptions;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.TandemSessionType;
import org.tandemrc.support.event.EventRecorder;

/**
 * The remote-control session. On the Host it streams the screen from the best {@link ScreenSource};
 * on the Guest it is used through {@link RemoteScreens}, which this component also offers. Keyboard
 * and mouse travel on a second session, {@link RemoteInput}, at input priority.
 */
@Component(service = {SessionType.class, RemoteScreens.class})
@TandemSessionType(RemoteControl.ID)
public class RemoteControl implements SessionType, RemoteScreens {

    static final String ID = "remote-control";

    // SCR appends each service as it binds: the last one is the newest, the one used (HostBackends.newest).
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<ScreenSource> screens = new CopyOnWriteArrayList<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<Clipboard> clipboards = new CopyOnWriteArrayList<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<LocalInputLock> inputLocks = new CopyOnWriteArrayList<>();

    /** Lock and unlock of the person's keyboard and mouse go to the event log and to the Host's desktop. */
    private final EventRecorder audit = new EventRecorder("org.tandemrc.host.audit");

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void bindSink(EventSink sink) {
        audit.add(sink);
    }

    void unbindSink(EventSink sink) {
        audit.remove(sink);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Remote Control";
    }

    @Override
    public Set<Privilege> requiredPrivileges() {
        return EnumSet.of(Privilege.VIEW_SCREEN);
    }

    @Override
    public SessionHandler open(SessionContext context) {
        if (HostBackends.refusedOnGuest(context, "remote control on a Guest is opened through the RemoteScreens service")) {
            return HostScreen.ignoring();
        }
        ScreenSource screen = HostBackends.newest(screens);
        if (screen == null) {
            context.channel().close("this Host has no screen to show (no display, or no screen bundle)");
            return HostScreen.ignoring();
        }
        return new HostScreen(context, screen, () -> HostBackends.newest(clipboards),
                () -> HostBackends.newest(inputLocks), this::audit);
    }

    private void audit(SessionContext context, String code, Severity severity, String detail) {
        audit.node(context.hostName());
        audit.record(code, severity, context.peerAddress(), context.guestName(), detail);
    }

    @Override
    public RemoteScreen open(HostConnection connection, ViewOptions options, RemoteScreen.Listener listener)
            throws GuestException, InterruptedException {
        Viewer viewer = new Viewer(connection, listener);
        viewer.open(options);
        return viewer;
    }
}
