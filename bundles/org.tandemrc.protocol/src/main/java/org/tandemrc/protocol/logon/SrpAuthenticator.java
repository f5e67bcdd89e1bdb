package org.tandemrc.protocol.logon;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.PasswordVerifier;
import org.tandemrc.protocol.srp.SrpServer;

/**
 * The built-in access method of every node: SRP-6a against password verifiers from the node's own
 * file, and for a name the file does not have, a decoy whose challenge is derived from the node's
 * secret (the same every time, like a real one) and whose proof always fails. The static methods turn
 * the named values of {@link Authenticator} into the SRP records the logon messages carry, and back.
 */
public final class SrpAuthenticator implements Authenticator {

    /** Challenge values: Argon2id memory (KiB), iterations and parallelism as 4-byte integers, salt, B. */
    public static final String MEMORY = "m";
    public static final String ITERATIONS = "t";
    public static final String PARALLELISM = "p";
    public static final String SALT = "salt";
    public static final String SERVER_PUBLIC = "B";
    /** Proof values: the client's public value A (two's complement), its proof M1. */
    public static final String CLIENT_PUBLIC = "A";
    public static final String CLIENT_PROOF = "M1";
    /** Answer values: the server's proof M2 and the 32-byte session key K. */
    public static final String SERVER_PROOF = "M2";
    public static final String SESSION_KEY = "K";

    /** What a node knows about one name: its verifier and the groups (a role, device groups) it is in. */
    public record Account(PasswordVerifier verifier, Set<String> groups) {
        public Account {
            Objects.requireNonNull(verifier, "verifier");
            groups = Set.copyOf(groups);
        }
    }

    /** Where the accounts come from; read on a logon thread for every attempt. */
    @FunctionalInterface
    public interface Accounts {
        Optional<Account> find(String user) throws IOException;
    }

    private final String method;
    private final Accounts accounts;
    private final byte[] decoySecret;
    private final SecureRandom random;

    /**
     * @param decoySecret at least 16 bytes the node keeps to itself (see {@link SrpServer#decoySecret})
     */
    public SrpAuthenticator(String method, Accounts accounts, byte[] decoySecret, SecureRandom random) {
        this.method = Objects.requireNonNull(method, "method");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.decoySecret = decoySecret.clone();
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public Exchange begin(String user, String sourceAddress) throws IOException {
        Optional<Account> account = accounts.find(user);
        SrpServer server = account.map(a -> new SrpServer(user, a.verifier(), random))
                .orElseGet(() -> SrpServer.decoy(user, decoySecret, random));
        Set<String> groups = account.map(Account::groups).orElse(Set.of());
        return new Exchange() {
            @Override
            public Map<String, byte[]> challenge() {
                return values(server.challenge());
            }

            @Override
            public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                try {
                    byte[] m2 = server.verify(response(proof), binding);
                    return AuthResult.granted(new Identity(user, method, groups),
                            Map.of(SERVER_PROOF, m2, SESSION_KEY, server.sessionKey()));
                } catch (AuthenticationFailed e) {
                    return AuthResult.denied(account.isPresent() ? "wrong password" : "unknown user");
                } catch (IllegalArgumentException e) {
                    return AuthResult.denied("malformed proof: " + e.getMessage());
                }
            }
        };
    }

    /** The named values of an SRP challenge. */
    public static Map<String, byte[]> values(Challenge c) {
        return Map.of(MEMORY, int4(c.memoryKiB()), ITERATIONS, int4(c.iterations()), PARALLELISM,
                int4(c.parallelism()), SALT, c.salt(), SERVER_PUBLIC, c.serverPublic().toByteArray());
    }

    /**
     * The SRP challenge in named values.
     *
     * @throws IllegalArgumentException when a value is missing or malformed: the access method in force
     *                                  does not speak SRP, which the logon messages carry
     */
    public static Challenge challenge(Map<String, byte[]> v) {
        return new Challenge(int4(v, MEMORY), int4(v, ITERATIONS), int4(v, PARALLELISM), value(v, SALT),
                new BigInteger(1, value(v, SERVER_PUBLIC)));
    }

    /** The named values of an SRP proof. */
    public static Map<String, byte[]> values(ClientResponse r) {
        return Map.of(CLIENT_PUBLIC, r.clientPublic().toByteArray(), CLIENT_PROOF, r.proof());
    }

    /** The SRP proof in named values; malformed ones are refused, as they come from the peer. */
    public static ClientResponse response(Map<String, byte[]> v) {
        return new ClientResponse(new BigInteger(value(v, CLIENT_PUBLIC)), value(v, CLIENT_PROOF));
    }

    /** One answer value of a granted result (the server proof, the session key). */
    public static byte[] answer(AuthResult r, String name) {
        return value(r.answer(), name);
    }

    private static byte[] value(Map<String, byte[]> v, String name) {
        byte[] b = v.get(name);
        if (b == null || b.length == 0) {
            throw new IllegalArgumentException("the logon value '" + name + "' is missing: the access method"
                    + " does not speak SRP, which this node's logon messages carry");
        }
        return b.clone();
    }

    private static byte[] int4(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    private static int int4(Map<String, byte[]> v, String name) {
        byte[] b = value(v, name);
        if (b.length != 4) {
            throw new IllegalArgumentException("the logon value '" + name + "' is not a 4-byte integer");
        }
        return ByteBuffer.wrap(b).getInt();
    }
}
