package org.tandemrc.toolkit.session;

import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.user.LocalUser;

/**
 * A {@link SessionType} that shows what arrives to the person at this node (chat, message):
 * {@link #localUser()} is the {@link LocalUser} with the highest service ranking, or {@code null} while
 * none is registered (a node without a desktop), which the session answers by closing its channel with
 * a reason.
 *
 * <p>The subclass is a Declarative Services component built with bnd's
 * {@code -dsannotations-options: inherit}, so the reference below is its own:
 *
 * <pre>{@code
 * @Component(service = SessionType.class)
 * @TandemSessionType(ChatSessionType.ID)
 * public class ChatSessionType extends LocalUserSessionType {
 *     ...
 *     public SessionHandler open(SessionContext context) {
 *         LocalUser person = localUser();
 *         if (person == null) {
 *             context.channel().close("nobody is at this node to chat");
 *             ...
 * }
 * }</pre>
 */
@ConsumerType
public abstract class LocalUserSessionType implements SessionType {

    private final AtomicReference<@Nullable LocalUser> localUser = new AtomicReference<>();

    /** The person at this node, or {@code null} when nobody is there to show anything to. */
    protected final @Nullable LocalUser localUser() {
        return localUser.get();
    }

    /** Declarative Services seats the person here; a test without OSGi does it itself. */
    @Reference(name = "localUser", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public final void bindLocalUser(LocalUser user) {
        localUser.set(user);
    }

    /** A greedy reference binds the better person before it unbinds the one it replaces. */
    public final void unbindLocalUser(LocalUser user) {
        localUser.compareAndSet(user, null);
    }
}
