package org.tandemrc.protocol.logon;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a password attempt may be verified. Call {@link #attempt} at the moment a proof is
 * about to be verified, never earlier: a proof prepared on a connection opened before the limit was
 * reached is charged when it arrives, so opening many connections first buys nothing. The attempt is
 * charged before the answer is known, so a client that stops waiting for answers gains nothing either.
 *
 * <p>Two budgets: one per source address (an IPv6 address counts by its /64, which one subscriber
 * usually holds whole) and one per target (a Host, an account). An address that logged on to a target
 * is trusted for it for {@link LogonLimits#trust()}: the target's budget does not hold it back, so
 * guessing from many addresses cannot lock the right user out of a place they used before; its own
 * address budget still applies. A success gives back what it charged.
 *
 * <p>Memory is bounded: budgets that are full are forgotten, and past {@link #MAX_ENTRIES} addresses
 * (or targets) new ones share one budget. Thread-safe.
 */
public final class LogonLimiter {

    /** Addresses tracked at once before new ones share a budget. */
    static final int MAX_ENTRIES = 50_000;
    private static final String OVERFLOW = "(many addresses)";

    private final Clock clock;
    private volatile LogonLimits limits;
    private final Map<String, TokenBucket> addresses = new HashMap<>();
    private final Map<String, TokenBucket> targets = new HashMap<>();
    private final Map<String, TokenBucket> challenges = new HashMap<>();
    private final Map<String, Integer> pending = new HashMap<>();
    private final Map<String, Long> refusedSince = new HashMap<>();
    /** "target\0address" to when its trust ends; oldest first. */
    private final LinkedHashMap<String, Long> trusted = new LinkedHashMap<>();
    private long lastSweep = Long.MIN_VALUE / 2;

    public LogonLimiter(LogonLimits limits) {
        this(limits, Clock.systemUTC());
    }

    /** @param clock the time budgets refill by; a test passes one it moves */
    public LogonLimiter(LogonLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public LogonLimits limits() {
        return limits;
    }

    /** New limits start every budget afresh; trust and waiting connections stay. */
    public synchronized void limits(LogonLimits l) {
        this.limits = Objects.requireNonNull(l, "limits");
        addresses.clear();
        targets.clear();
        challenges.clear();
    }

    /** The outcome of asking. */
    public record Decision(boolean allowed, Duration retryAfter, String reason, boolean firstRefusal) {
        static final Decision ALLOWED = new Decision(true, Duration.ZERO, "", false);
    }

    /**
     * Charges one password attempt from {@code remote} against {@code target}, or refuses it.
     *
     * @param remote the peer as {@code ip:port}, {@code [v6]:port} or a bare address
     * @param target what is guessed at: a Host, an account
     */
    public synchronized Decision attempt(String remote, String target) {
        long now = clock.millis();
        String a = source(remote);
        boolean trust = isTrusted(a, target, now);
        TokenBucket ab = addressBucket(a, now);
        TokenBucket tb = trust ? null : targetBucket(target, now);
        long wait = Math.max(ab.waitMillis(now), tb == null ? 0 : tb.waitMillis(now));
        if (wait > 0) {
            return refuse(a, now, wait, ab.waitMillis(now) > 0
                    ? "too many logon attempts from your address"
                    : "too many logon attempts against this Host or account from many addresses");
        }
        ab.take(now);
        if (tb != null) {
            tb.take(now);
        }
        refusedSince.remove(a);
        return Decision.ALLOWED;
    }

    /**
     * Whether an attempt would be refused now, without charging: lets a role refuse before it computes
     * a challenge. {@link #attempt} must still be called when the proof arrives.
     */
    public synchronized Optional<Decision> refusal(String remote, String target) {
        long now = clock.millis();
        String a = source(remote);
        TokenBucket ab = addresses.get(a);
        long wait = ab == null ? 0 : ab.waitMillis(now);
        if (!isTrusted(a, target, now)) {
            TokenBucket tb = targets.get(target);
            wait = Math.max(wait, tb == null ? 0 : tb.waitMillis(now));
        }
        return wait == 0 ? Optional.empty()
                : Optional.of(refuse(a, now, wait, "too many logon attempts"));
    }

    private Decision refuse(String a, long now, long waitMillis, String why) {
        if (refusedSince.size() >= MAX_ENTRIES) {
            refusedSince.clear(); // at worst a refusal is logged once more
        }
        boolean first = refusedSince.putIfAbsent(a, now) == null;
        Duration d = Duration.ofMillis(waitMillis);
        return new Decision(false, d, why + "; try again in " + human(d), first);
    }

    /** A proof checked out: the attempt is given back and the address is trusted for the target. */
    public synchronized void succeeded(String remote, String target) {
        long now = clock.millis();
        String a = source(remote);
        TokenBucket ab = addresses.get(a);
        if (ab != null) {
            ab.giveBack(now);
        }
        TokenBucket cb = challenges.get(a);
        if (cb != null) {
            cb.giveBack(now);
        }
        if (!isTrusted(a, target, now)) {
            TokenBucket tb = targets.get(target);
            if (tb != null) {
                tb.giveBack(now);
            }
        }
        String key = target + "\0" + a;
        trusted.remove(key);
        trusted.put(key, now + limits.trust().toMillis());
        while (trusted.size() > MAX_ENTRIES) {
            Iterator<String> it = trusted.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    /**
     * Whether {@code remote} may have one more challenge for {@code target} computed now. An address
     * trusted for the target is not held: its logons have shown it is no flood.
     */
    public synchronized boolean challenge(String remote, String target) {
        long now = clock.millis();
        String a = source(remote);
        if (isTrusted(a, target, now)) {
            return true;
        }
        TokenBucket b = challenges.get(a);
        if (b == null) {
            sweep(now);
            a = challenges.size() >= MAX_ENTRIES ? OVERFLOW : a;
            b = challenges.computeIfAbsent(a, k -> new TokenBucket(limits.challengeBurst(),
                    60_000L / limits.challengesPerMinute(), now));
        }
        return b.take(now);
    }

    /**
     * Admits one more connection from {@code remote} that has yet to log on, or returns empty when
     * {@link LogonLimits#pendingPerAddress()} of them are waiting already. Close the slot when the
     * connection has logged on or closed.
     */
    public synchronized Optional<Slot> admit(String remote) {
        String a = source(remote);
        int n = pending.getOrDefault(a, 0);
        if (n >= limits.pendingPerAddress()) {
            return Optional.empty();
        }
        pending.put(a, n + 1);
        return Optional.of(new Slot(a));
    }

    /** A connection waiting to log on; closing it more than once is harmless. */
    public final class Slot implements AutoCloseable {
        private final String address;
        private boolean closed;

        private Slot(String address) {
            this.address = address;
        }

        @Override
        public void close() {
            synchronized (LogonLimiter.this) {
                if (closed) {
                    return;
                }
                closed = true;
                pending.computeIfPresent(address, (k, v) -> v <= 1 ? null : v - 1);
            }
        }
    }

    /** Budgets held now (addresses, targets, challenges): what memory the limiter keeps. */
    synchronized int budgets() {
        return addresses.size() + targets.size() + challenges.size();
    }

    private boolean isTrusted(String a, String target, long now) {
        Long until = trusted.get(target + "\0" + a);
        if (until == null) {
            return false;
        }
        if (until < now) {
            trusted.remove(target + "\0" + a);
            return false;
        }
        return true;
    }

    private TokenBucket addressBucket(String a, long now) {
        LogonLimits l = limits;
        return bucket(addresses, a, l.addressBurst(), l.addressPerHour(), now);
    }

    private TokenBucket targetBucket(String target, long now) {
        LogonLimits l = limits;
        return bucket(targets, target, l.targetBurst(), l.targetPerHour(), now);
    }

    private TokenBucket bucket(Map<String, TokenBucket> budgets, String key, int burst, int perHour, long now) {
        TokenBucket b = budgets.get(key);
        if (b != null) {
            return b;
        }
        sweep(now);
        // Made-up addresses and account names must not grow this without bound: past the limit they share one budget.
        String k = budgets.size() >= MAX_ENTRIES ? OVERFLOW : key;
        return budgets.computeIfAbsent(k, x -> new TokenBucket(burst, interval(perHour - burst), now));
    }

    /** Milliseconds per token so that {@code perHour} more arrive in an hour; none at all for 0. */
    private static long interval(int perHour) {
        return perHour <= 0 ? Long.MAX_VALUE / 4 : 3_600_000L / perHour;
    }

    /**
     * Forgets budgets that are full, once the maps are large, at most once a second: a sweep walks
     * every entry, and an attacker from many addresses must not make each attempt pay for one.
     */
    private void sweep(long now) {
        if (now - lastSweep < 1000 || addresses.size() + targets.size() + challenges.size() < MAX_ENTRIES / 2) {
            return;
        }
        lastSweep = now;
        addresses.values().removeIf(b -> b.full(now));
        targets.values().removeIf(b -> b.full(now));
        challenges.values().removeIf(b -> b.full(now));
        refusedSince.keySet().retainAll(addresses.keySet());
    }

    /**
     * The address a budget is kept for: the IP of {@code ip:port}, {@code [v6]:port} or a bare IP; for
     * IPv6 its first 64 bits. Anything else (a relay's or an in-process peer's name) is kept whole: it is
     * no address that other connections could share, so it counts on its own.
     */
    public static String source(String remote) {
        if (remote == null || remote.isEmpty()) {
            return "";
        }
        String r = remote.startsWith("/") ? remote.substring(1) : remote;
        if (r.matches("\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?")) {
            int colon = r.indexOf(':');
            return colon < 0 ? r : r.substring(0, colon);
        }
        String v6 = null;
        if (r.startsWith("[") && r.indexOf(']') > 0) {
            v6 = r.substring(1, r.indexOf(']'));
        } else if (r.matches("[0-9a-fA-F:.]+") && r.indexOf(':') != r.lastIndexOf(':')) {
            v6 = r;
        }
        if (v6 == null) {
            return remote;
        }
        int zone = v6.indexOf('%');
        v6 = zone < 0 ? v6 : v6.substring(0, zone);
        if (!v6.matches("[0-9a-fA-F:.]+")) {
            return remote; // not an address literal: never a name lookup
        }
        try {
            byte[] b = InetAddress.getByName(v6).getAddress();
            if (b.length != 16) {
                return InetAddress.getByAddress(b).getHostAddress();
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return s.append(":/64").toString();
        } catch (UnknownHostException e) {
            return remote;
        }
    }

    private static String human(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        return s < 120 ? s + " s" : (s + 59) / 60 + " min";
    }
}
