package org.tandemrc.session.remotecontrol.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;

/**
 * Keyboard and mouse of a remote-control session, on their own channel so they overtake screen
 * updates. The Host opens it only for a role with CONTROL_INPUT: a View only Guest's input is refused
 * by the Host, and audited, before any of it arrives.
 */
@Component(service = SessionType.class, property = SessionType.ID_PROPERTY + "=" + RemoteInput.ID)
public class RemoteInput implements SessionType {

    static final String ID = "remote-input";

    private final List<ScreenSource> screens = new CopyOnWriteArrayList<>();
    private final List<InputSink> inputs = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindScreen(ScreenSource s) {
        screens.add(0, s);
    }

    void unbindScreen(ScreenSource s) {
        screens.remove(s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindInput(InputSink s) {
        inputs.add(0, s);
    }

    void unbindInput(InputSink s) {
        inputs.remove(s);
    }

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
        if (context.side() == Side.GUEST) {
            context.channel().close("remote input on a Guest is sent through the RemoteScreens service");
            return HostScreen.ignoring();
        }
        ScreenSource screen = screens.isEmpty() ? null : screens.get(0);
        InputSink input = inputs.isEmpty() ? null : inputs.get(0);
        if (screen == null || input == null) {
            context.channel().close("this Host cannot inject input (no display or no input backend)");
            return HostScreen.ignoring();
        }
        return new HostInput(context, screen, input);
    }
}
