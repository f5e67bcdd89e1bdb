package org.tandemrc.comm.webconnect.internal;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.tandemrc.api.adhoc.JoinedSupport;
import org.tandemrc.api.adhoc.JoinedSupportEnded;
import org.tandemrc.webconnect.protocol.Support;

/**
 * The support session a temporary Host's endpoint joined, registered as a {@link JoinedSupport} service
 * from its first SUPPORT_JOINED until the session ends (a rejoin after a dropped connection keeps it).
 */
final class JoinedSession implements JoinedSupport {

    /** The manager's ERROR when the person at this Host ended it (see the manager's changeSupport). */
    private static final String BY_PERSON = "ended by the person at the temporary Host";
    private static final String BY_SUPPORTER = "ended by the supporter";

    private final String code;
    private final Runnable end;
    private final CompletableFuture<JoinedSupportEnded> ended = new CompletableFuture<>();
    private volatile Support.Joined joined;
    private ServiceRegistration<JoinedSupport> registration;

    /** @param end sends the person's END to the manager */
    JoinedSession(String code, Support.Joined joined, Runnable end) {
        this.code = code;
        this.joined = joined;
        this.end = end;
    }

    /** Registers the service when this bundle runs in a framework (not in plain unit tests). */
    synchronized void register() {
        Bundle b = FrameworkUtil.getBundle(JoinedSession.class);
        BundleContext ctx = b == null ? null : b.getBundleContext();
        if (ctx != null && !ended.isDone()) {
            registration = ctx.registerService(JoinedSupport.class, this, null);
        }
    }

    void rejoined(Support.Joined j) {
        joined = j;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String supporter() {
        return joined.supporter();
    }

    @Override
    public String account() {
        return joined.account();
    }

    @Override
    public Instant ends() {
        return Instant.ofEpochMilli(joined.ends());
    }

    @Override
    public void end() {
        end.run();
    }

    @Override
    public CompletionStage<JoinedSupportEnded> ended() {
        return ended.copy();
    }

    boolean isEnded() {
        return ended.isDone();
    }

    /** Who ended it, read from the words the manager closed this Host's connection with. */
    static JoinedSupportEnded.By by(String managerReason) {
        if (managerReason.contains(BY_PERSON)) {
            return JoinedSupportEnded.By.PERSON;
        }
        return managerReason.contains(BY_SUPPORTER) ? JoinedSupportEnded.By.SUPPORTER : JoinedSupportEnded.By.OVER;
    }

    /** The session is over: the service goes, then the waiting learn why (once). */
    void finish(JoinedSupportEnded.By by, String reason) {
        ServiceRegistration<JoinedSupport> r;
        synchronized (this) {
            r = registration;
            registration = null;
        }
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // the bundle stopped first: the framework withdrew it
            }
        }
        ended.complete(new JoinedSupportEnded(by, reason));
    }
}
