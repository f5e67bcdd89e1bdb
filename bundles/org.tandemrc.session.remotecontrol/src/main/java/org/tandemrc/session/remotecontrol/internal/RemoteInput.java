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
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.TandemSessionType;

/**
 * Keyboard and mouse of a remote-control session, on their own channel so they overtake screen
 * updates. The Host opens it only for a role with CONTROL_INPUT: a View only Guest's input is refused
 * by the Host, and audited, before any of it arrives.
 */
@Component(service = SessionType.class)
@TandemSessionType(RemoteInput.ID)
public class RemoteInput implements SessionType {

    static final String ID = "remote-input";

    // As in RemoteControl: the last bound is the newest, the one used.
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<ScreenSource> screens = new CopyOnWriteArrayList<>();
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY, fieldOption = UPDATE)
    final List<InputSink> inputs = new CopyOnWriteArrayList<>();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Keyboard and Mouse";
    }

    @Override
    public Set<Privilege> requiredPrivileges() {
        return EnumSet.of(Privilege.VIEW_SCREEN, Privilege.CONTROL_INPUT);
    }

    @Override
    public SessionHandler open(SessionContext context) {
        if (HostBackends.refusedOnGuest(context, "remote input on a Guest is sent through the RemoteScreens service")) {
            return HostScreen.ignoring();
        }
        ScreenSource screen = HostBackends.newest(screens);
        InputSink input = HostBackends.newest(inputs);
        if (screen == null || input == null) {
            context.channel().close("this Host cannot inject input (no display or no input backend)");
            return HostScreen.ignoring();
        }
        return new HostInput(context, screen, input);
    }
}
