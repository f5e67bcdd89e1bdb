package org.tandemrc.protocol.logon;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.tandemrc.support.event.EventRecorder;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.security.AccessPolicy;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Role;

/**
 * The one logon of every role that checks a password (Host, Gateway, WebConnect Connection Manager):
 * the limits of {@link LogonLimiter} around an exchange with the {@link Authenticator} of the method
 * asked for, and the {@link AccessPolicy} of that method on success. What it guarantees whatever the
 * role and the method: cheap refusals (the role's lockout, a spent budget, too many challenges) come
 * before the method's work; that work runs on {@link LogonWork}, never on a network thread; each proof
 * is charged when it arrives, before it is checked; every answer to a proof, right, wrong, refused or
 * busy, leaves {@code logon.answer.millis} after the proof arrived; the first refusal of an address by
 * the limits is an event. The role keeps its wire: it turns messages into calls of {@link Logon} and
 * the {@link Peer} callbacks into messages.
 */
public final class LogonEngine {

    /** Why an attempt was refused before its proof was checked. */
    public enum Refusal {
        /** The limits, or the role's own lockout. */
        LIMITED,
        /** Too much logon work waits, or the node is stopping. */
        BUSY,
        /** The method's store cannot be read. */
        UNAVAILABLE,
        /** The name can never be used with the method. */
        INVALID,
        /** No method of the name asked for is installed. */
        UNKNOWN_METHOD
    }

    /** One connection's side of its logon; the engine calls it, never while holding a lock. */
    public interface Peer {

        /** The role's own refusal of this peer now (a lockout, a disabled node): asked at the start and as each proof arrives. */
        default Optional<String> lockout() {
            return Optional.empty();
        }

        /** Send the challenge. On a logon thread. */
        void challenge(Map<String, byte[]> challenge);

        /**
         * The proof was right. On a logon thread, as soon as it is known; the answer returned runs when
         * it is due.
         *
         * @param role the access policy's role for the identity; empty when the method has no policy or
         *             the policy gives the identity none
         */
        Runnable granted(AuthResult result, Optional<Role> role);

        /** The proof was wrong: count it, record it; the answer returned runs when it is due. On a logon thread. */
        Runnable denied(AuthResult result);

        /** The attempt is refused; the connection's logon is over. At once for a start, when due for a proof. */
        void refused(Refusal kind, String reason);
    }

    private final LogonMethods methods;
    private final LogonLimiter limiter;
    private final LogonWork work;
    private final ScheduledExecutorService timer;
    private final EventRecorder audit;
    private final String limitCode;
    private final String limitPrefix;
    private final String node;

    /**
     * @param node        how answers name this node: {@code the Host}
     * @param limitCode   the event of the first refusal of an address by the limits
     * @param limitPrefix the start of that event's detail
     */
    public LogonEngine(String node, LogonMethods methods, LogonLimits limits, Clock clock, LogonWork work,
            ScheduledExecutorService timer, EventRecorder audit, String limitCode, String limitPrefix) {
        this.node = node;
        this.methods = Objects.requireNonNull(methods, "methods");
        this.limiter = new LogonLimiter(limits, clock);
        this.work = work;
        this.timer = timer;
        this.audit = audit;
        this.limitCode = limitCode;
        this.limitPrefix = limitPrefix;
    }

    public LogonLimiter limiter() {
        return limiter;
    }

    /** New limits, when they differ from those in force (new limits start every budget afresh). */
    public void limits(LogonLimits l) {
        if (!l.equals(limiter.limits())) {
            limiter.limits(l);
        }
    }

    /** A place among the connections waiting to log on from the address, or empty when they are too many. */
    public Optional<LogonLimiter.Slot> admit(String remote) {
        return limiter.admit(remote);
    }

    /** The logon of one connection from {@code remote}. */
    public Logon logon(String remote, Peer peer) {
        return new Logon(remote, peer);
    }

    /** One connection's logon: one attempt at a time; after a wrong proof, another may start. */
    public final class Logon {

        private enum State { IDLE, CHALLENGING, CHALLENGED, VERIFYING, DONE }

        private final String remote;
        private final Peer peer;
        /** Guarded by this. */
        private State state = State.IDLE;
        private Authenticator.Exchange exchange;
        private String target;
        private String who;

        private Logon(String remote, Peer peer) {
            this.remote = remote;
            this.peer = peer;
        }

        /**
         * Starts an attempt: refuses it at once when it may not be made, otherwise computes the
         * challenge on a logon thread.
         *
         * @param method the access method asked for
         * @param user   the name given to the method
         * @param target what the attempt is charged against: the Host, the account
         * @param who    how the events name the user
         * @throws IllegalStateException when an attempt is under way or the logon is over
         */
        public void start(String method, String user, String target, String who) {
            start(methods.authenticator(method), method, user, target, who);
        }

        /**
         * Starts an attempt with an authenticator the role chose itself (a Security Server picks one per
         * user and per asking node), under the same limits as {@link #start(String, String, String, String)}.
         *
         * @throws IllegalStateException when an attempt is under way or the logon is over
         */
        public void start(Authenticator authenticator, String user, String target, String who) {
            start(Optional.of(authenticator), authenticator.method(), user, target, who);
        }

        private void start(Optional<Authenticator> a, String method, String user, String target, String who) {
            synchronized (this) {
                if (state != State.IDLE) {
                    throw new IllegalStateException(state == State.DONE ? "logon already done"
                            : "one logon attempt at a time: answer the challenge first");
                }
                state = State.CHALLENGING;
                this.target = target;
                this.who = who;
            }
            if (a.isEmpty()) {
                refuse(Refusal.UNKNOWN_METHOD, LogonMethods.unknown(method));
                return;
            }
            Optional<String> locked = peer.lockout();
            if (locked.isPresent()) {
                refuse(Refusal.LIMITED, locked.get());
                return;
            }
            Optional<LogonLimiter.Decision> limited = limiter.refusal(remote, target);
            if (limited.isPresent()) {
                limitReached(limited.get());
                refuse(Refusal.LIMITED, limited.get().reason());
                return;
            }
            if (!limiter.challenge(remote, target)) {
                refuse(Refusal.LIMITED, "too many logon attempts from your address; try again in a minute");
                return;
            }
            if (!work.offer(() -> challenge(a.get(), user))) {
                refuse(Refusal.BUSY, node + " is busy with other logons; try again in a moment");
            }
        }

        private void challenge(Authenticator a, String user) {
            Map<String, byte[]> challenge;
            try {
                Authenticator.Exchange x = a.begin(user, remote);
                challenge = x.challenge();
                synchronized (this) {
                    if (state != State.CHALLENGING) {
                        return;
                    }
                    exchange = x;
                    state = State.CHALLENGED;
                }
            } catch (IOException e) {
                refuse(Refusal.UNAVAILABLE, String.valueOf(e.getMessage()));
                return;
            } catch (IllegalArgumentException e) {
                refuse(Refusal.INVALID, String.valueOf(e.getMessage()));
                return;
            }
            peer.challenge(challenge);
        }

        /**
         * A proof arrived: charges it now, checks it on a logon thread, and answers when due.
         *
         * @param binding the hash of the connection's key exchange the proof is bound to
         * @throws IllegalStateException when no challenge waits for its proof
         */
        public void prove(Map<String, byte[]> proof, byte[] binding) {
            long due = System.nanoTime() + limiter.limits().answer().toNanos();
            Authenticator.Exchange x;
            synchronized (this) {
                if (state != State.CHALLENGED) {
                    throw new IllegalStateException("a proof without a challenge");
                }
                state = State.VERIFYING;
                x = exchange;
                exchange = null;
            }
            // Charged here, as the proof arrives and before its answer is known: a proof prepared on a
            // connection opened earlier gets no pass, and a client that leaves without waiting gains nothing.
            Optional<String> locked = peer.lockout();
            if (locked.isPresent()) {
                answerAt(due, () -> refuse(Refusal.LIMITED, locked.get()));
                return;
            }
            LogonLimiter.Decision d = limiter.attempt(remote, target);
            if (!d.allowed()) {
                limitReached(d);
                answerAt(due, () -> refuse(Refusal.LIMITED, d.reason()));
                return;
            }
            if (!work.offer(() -> verify(x, proof, binding, due))) {
                answerAt(due, () -> refuse(Refusal.BUSY, node + " is busy with other logons; try again in a moment"));
            }
        }

        private void verify(Authenticator.Exchange x, Map<String, byte[]> proof, byte[] binding, long due) {
            AuthResult r = checked(x, proof, binding);
            if (r.granted()) {
                limiter.succeeded(remote, target);
                Optional<Role> role = methods.policy(r.identity().orElseThrow().method())
                        .flatMap(p -> p.roleOf(r.identity().orElseThrow()));
                Runnable answer = peer.granted(r, role);
                answerAt(due, () -> {
                    synchronized (this) {
                        if (state != State.VERIFYING) {
                            return; // refused meanwhile
                        }
                        state = State.DONE;
                    }
                    answer.run();
                });
            } else {
                Runnable answer = peer.denied(r);
                answerAt(due, () -> {
                    synchronized (this) {
                        if (state != State.VERIFYING) {
                            return;
                        }
                        state = State.IDLE;
                    }
                    answer.run();
                });
            }
        }

        private static AuthResult checked(Authenticator.Exchange x, Map<String, byte[]> proof, byte[] binding) {
            try {
                return x.verify(proof, binding);
            } catch (RuntimeException e) {
                // A method that throws on a hostile proof must not leave the client without an answer.
                return AuthResult.denied("the access method failed: " + e);
            }
        }

        private void refuse(Refusal kind, String reason) {
            synchronized (this) {
                state = State.DONE;
                exchange = null;
            }
            peer.refused(kind, reason);
        }

        /** Ends the logon: a late challenge or answer is dropped (the connection closed, timed out). */
        public synchronized void end() {
            state = State.DONE;
            exchange = null;
        }

        /** Records the first refusal of an address, not every one: a flood of refusals must not flood the log. */
        private void limitReached(LogonLimiter.Decision d) {
            if (d.firstRefusal()) {
                audit.record(limitCode, Severity.SECURITY, remote, who, limitPrefix + d.reason());
            }
        }

        /** Runs an answer at {@code due} (System.nanoTime), so that every answer takes the same time. */
        private void answerAt(long due, Runnable answer) {
            try {
                timer.schedule(answer, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                refuse(Refusal.BUSY, node + " is stopping");
            }
        }
    }
}
