package org.tandemrc.protocol.logon;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.Prehash;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * The Guest's side of one SRP logon with the work that needs nothing from the Host started as the
 * connection is being made: the ephemeral A = g^a, and the Argon2id pre-hash for the parameters and salt
 * the Host at the same place gave the last time it proved itself to this process. When the challenge
 * arrives its bounds are checked first; the pre-hash is used only when the Host's key, the identity, the
 * parameters and the salt are all the ones it was made for, otherwise it is dropped and Argon2id runs
 * for the challenge. The proof is bound to the connection as always ({@code binding}).
 *
 * <p>What is remembered, per place and identity, is only the Host's key, the Argon2id parameters and
 * the salt, in this process's memory (never on disk, at most {@value #REMEMBERED} places), and only
 * after the Host's proof M2 was right: a Host that cannot prove itself changes nothing. The pre-hash is
 * password-derived: it is cleared once the logon used or dropped it, or {@link #close closed}. Nothing
 * computed ahead is sent before the Host's proof of identity (the signed key exchange and the caller's
 * key check) and the challenge. One logon, one thread, apart from the work it hands to the executor.
 */
public final class GuestSrp implements AutoCloseable {

    /** Places (with identity) remembered at most; the least recently used is forgotten first. */
    static final int REMEMBERED = 256;

    private record Place(String place, String identity) {
    }

    /** What a Host that proved itself asked for. */
    private record Seen(byte[] hostKey, int memoryKiB, int iterations, int parallelism, byte[] salt) {
        boolean asks(byte[] key, Challenge c) {
            return Arrays.equals(hostKey, key) && c.memoryKiB() == memoryKiB && c.iterations() == iterations
                    && c.parallelism() == parallelism && Arrays.equals(c.salt(), salt);
        }
    }

    private static final Map<Place, Seen> SEEN = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Place, Seen> eldest) {
            return size() > REMEMBERED;
        }
    };

    private final Place place;
    private final Seen expected;
    private final SrpClient client;
    private final Ahead<BigInteger> ephemeral;
    private final Ahead<Prehash> prehash;
    private Seen answered;
    private boolean usedPrehash;

    private GuestSrp(Place place, Seen expected, SrpClient client, Ahead<BigInteger> ephemeral, Ahead<Prehash> prehash) {
        this.place = place;
        this.expected = expected;
        this.client = client;
        this.ephemeral = ephemeral;
        this.prehash = prehash;
    }

    /**
     * Starts a logon as the connection to {@code place} is being made.
     *
     * @param place    where the Guest connects (the address as given), which names what is remembered
     * @param identity the SRP identity ({@code *} for the shared password)
     * @param password copied; the caller may clear its array
     * @param executor runs the work started ahead (two tasks) at once, or refuses it (then it is done when
     *                 the challenge arrives); null to start nothing ahead
     */
    public static GuestSrp start(String place, String identity, char[] password, SecureRandom random,
            Executor executor) {
        Place p = new Place(Objects.requireNonNull(place, "place"), Objects.requireNonNull(identity, "identity"));
        Seen seen;
        synchronized (SEEN) {
            seen = SEEN.get(p);
        }
        SrpClient client = new SrpClient(identity, password, random);
        Ahead<Prehash> prehash = null;
        if (seen != null && executor != null) {
            char[] copy = password.clone();
            prehash = Ahead.start(executor, () -> {
                try {
                    return Prehash.compute(identity, copy, seen.memoryKiB(), seen.iterations(), seen.parallelism(),
                            seen.salt());
                } finally {
                    Arrays.fill(copy, '\0');
                }
            }, () -> Arrays.fill(copy, '\0'));
        }
        Ahead<BigInteger> ephemeral = executor == null ? null : Ahead.start(executor, client::prepare, () -> { });
        return new GuestSrp(p, seen, client, ephemeral, prehash);
    }

    /**
     * Answers the Host's challenge on the connection whose key exchange gave {@code binding}.
     *
     * @param hostKey the Host's identity key from the signed key exchange
     * @throws AuthenticationFailed when the challenge is out of bounds (before any work) or its B invalid
     */
    public ClientResponse respond(byte[] hostKey, Challenge challenge, byte[] binding) throws AuthenticationFailed {
        Objects.requireNonNull(hostKey, "hostKey");
        Prehash ready = null;
        if (prehash != null) {
            boolean bounded;
            try {
                Challenge.checkBounds(challenge.memoryKiB(), challenge.iterations(), challenge.parallelism(),
                        challenge.salt().length);
                bounded = true;
            } catch (IllegalArgumentException e) {
                bounded = false; // SrpClient refuses it below, before any work
            }
            ready = bounded && expected.asks(hostKey, challenge) ? prehash.take() : null;
            if (ready == null) {
                prehash.drop(Prehash::clear); // another Host, salt or cost: Argon2id runs for the challenge
            }
        }
        usedPrehash = ready != null;
        if (ephemeral != null) {
            ephemeral.take(); // A computed ahead, or nothing when refused: respond computes it
        }
        answered = new Seen(hostKey.clone(), challenge.memoryKiB(), challenge.iterations(), challenge.parallelism(),
                challenge.salt());
        return client.respond(challenge, binding, ready);
    }

    /**
     * Checks the Host's proof M2; only then is what the Host asked for remembered for the next logon.
     *
     * @throws AuthenticationFailed when the Host could not prove it knows the verifier
     */
    public void verifyServer(byte[] serverProof) throws AuthenticationFailed {
        client.verifyServer(serverProof);
        remember(place, answered);
    }

    private static void remember(Place p, Seen s) {
        synchronized (SEEN) {
            SEEN.put(p, s);
        }
    }

    /** Remembers what a Host asked for as a right M2 does; for the bound's test. */
    static void remember(String place, String identity, byte[] hostKey, Challenge c) {
        remember(new Place(place, identity), new Seen(hostKey.clone(), c.memoryKiB(), c.iterations(), c.parallelism(),
                c.salt()));
    }

    /** The session key, once {@link #verifyServer} succeeded. */
    public byte[] sessionKey() {
        return client.sessionKey();
    }

    /** Whether the last {@link #respond} used the pre-hash computed ahead instead of running Argon2id. */
    public boolean usedPrehash() {
        return usedPrehash;
    }

    /** Clears the password and whatever was computed from it; work still running clears its result when done. */
    @Override
    public void close() {
        if (prehash != null) {
            prehash.drop(Prehash::clear);
        }
        if (ephemeral != null) {
            ephemeral.take(); // the ephemeral's task must not write into the client after this
        }
        client.clear();
    }

    /** How many places are remembered now. */
    static int remembered() {
        synchronized (SEEN) {
            return SEEN.size();
        }
    }

    /** One task started ahead; its result is waited for, as the work runs already (shorter than doing it again). */
    private static final class Ahead<T> {
        private final CompletableFuture<T> result;

        private Ahead(CompletableFuture<T> result) {
            this.result = result;
        }

        /** Runs {@code work} on {@code executor}; when the executor refuses it, {@code refused} runs and the result is null. */
        static <T> Ahead<T> start(Executor executor, Supplier<T> work, Runnable refused) {
            try {
                return new Ahead<>(CompletableFuture.supplyAsync(work, executor));
            } catch (RejectedExecutionException e) {
                refused.run();
                return new Ahead<>(CompletableFuture.completedFuture(null));
            }
        }

        /** The result, waiting for it; null when the executor refused the work or the work failed. */
        T take() {
            try {
                return result.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                return null;
            }
        }

        /** From now on nobody takes the result: {@code clear} runs on it now or when it arrives. */
        void drop(java.util.function.Consumer<T> clear) {
            result.thenAccept(r -> {
                if (r != null) {
                    clear.accept(r);
                }
            });
        }
    }
}
