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
import org.tandemrc.api.screen.Clipboard;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;

/**
 * The remote-control session. On the Host it streams the screen from the best {@link ScreenSource}
 * and injects the Guest's input through the best {@link InputSink}, when the role allows; on the
 * Guest it runs what the user asked for (a screenshot, typing, keys) and ends with the outcome.
 */
@Component(service = SessionType.class, property = SessionType.ID_PROPERTY + "=remote-control")
public class RemoteControl implements SessionType {

    static final String ID = "remote-control";

    private final List<ScreenSource> screens = new CopyOnWriteArrayList<>();
    private final List<InputSink> inputs = new CopyOnWriteArrayList<>();
    private final List<Clipboard> clipboards = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindClipboard(Clipboard c) {
        clipboards.add(0, c);
    }

    void unbindClipboard(Clipboard c) {
        clipboards.remove(c);
    }

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
        return "Remote Control";
    }

    @Override
    public Set<Privilege> requiredPrivileges() {
        return EnumSet.of(Privilege.VIEW_SCREEN);
    }

    @Override
    public SessionHandler open(SessionContext context) {
        if (context.side() == Side.HOST) {
            ScreenSource screen = screens.isEmpty() ? null : screens.get(0);
            InputSink input = inputs.isEmpty() ? null : inputs.get(0);
            if (screen == null) {
                context.channel().close("this Host has no screen to show (no display, or no screen bundle)");
                return HostScreen.ignoring();
            }
            return new HostScreen(context, screen, input, () -> clipboards.isEmpty() ? null : clipboards.get(0));
        }
        return new GuestAction(context);
    }
}
