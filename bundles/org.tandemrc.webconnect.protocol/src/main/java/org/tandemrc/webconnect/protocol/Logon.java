package org.tandemrc.webconnect.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.netty.buffer.ByteBuf;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;
import org.tandemrc.protocol.srp.AuthenticationFailed;
import org.tandemrc.protocol.srp.Challenge;
import org.tandemrc.protocol.srp.ClientResponse;
import org.tandemrc.protocol.srp.SrpClient;

/**
 * The account logon to a manager: SRP-6a proofs bound to the manager's nonce and the account name, and
 * its four frames as both sides write and read them (each {@code read} takes a reader past the type byte):
 * <pre>
 * LOGON     C→M  u8 version | str account | str role
 * CHALLENGE M→C  bytes nonce | u32 memoryKiB | u32 iterations | u32 parallelism | bytes salt | bytes B
 * PROOF     C→M  bytes A | bytes M1
 * WELCOME   M→C  bytes M2 | str managerId
 * </pre>
 * The Argon2id parameters are taken as sent: {@link SrpClient} bounds them before doing any work.
 */
public final class Logon {

    private Logon() {
    }

    /** LOGON: who logs on, as a {@code "host"} or a {@code "guest"}. */
    public record Request(int version, String account, String role) {
        public static Request read(WireReader r) throws ProtocolException {
            return new Request(r.u8("protocol version"), Fields.string(r, "account"), Fields.string(r, "role"));
        }

        public ByteBuf frame() {
            WireWriter w = new WireWriter().u8(version);
            Fields.string(w, account);
            return Frames.frame(Frames.LOGON, Fields.string(w, role));
        }
    }

    /** CHALLENGE: the manager's nonce and the SRP challenge of the account's verifier. */
    public record Challenged(byte[] nonce, Challenge srp) {
        public static Challenged read(WireReader r) throws ProtocolException {
            byte[] nonce = Fields.bytes(r, "nonce");
            int memory = r.i32("memory");
            int iterations = r.i32("iterations");
            int parallelism = r.i32("parallelism");
            return new Challenged(nonce, new Challenge(memory, iterations, parallelism, Fields.bytes(r, "salt"),
                    new BigInteger(1, Fields.bytes(r, "server public value"))));
        }

        public ByteBuf frame() {
            WireWriter w = Fields.bytes(new WireWriter(), nonce);
            w.u32(srp.memoryKiB()).u32(srp.iterations()).u32(srp.parallelism());
            Fields.bytes(w, srp.salt());
            return Frames.frame(Frames.CHALLENGE, Fields.bytes(w, srp.serverPublic().toByteArray()));
        }

        /**
         * The client's PROOF frame for this challenge.
         *
         * @throws AuthenticationFailed when the challenge is out of bounds or its public value invalid
         */
        public ByteBuf answer(SrpClient client, String account) throws AuthenticationFailed {
            return proof(client.respond(srp, binding(nonce, account)));
        }
    }

    /** PROOF as the client writes it. */
    public static ByteBuf proof(ClientResponse response) {
        WireWriter w = Fields.bytes(new WireWriter(), response.clientPublic().toByteArray());
        return Frames.frame(Frames.PROOF, Fields.bytes(w, response.proof()));
    }

    /** PROOF as the manager reads it. */
    public static ClientResponse readProof(WireReader r) throws ProtocolException {
        return new ClientResponse(new BigInteger(1, Fields.bytes(r, "client public value")),
                Fields.bytes(r, "client proof"));
    }

    /** WELCOME: the manager's own proof and its id. */
    public record Welcome(byte[] serverProof, String managerId) {
        public static Welcome read(WireReader r) throws ProtocolException {
            return new Welcome(Fields.bytes(r, "server proof"), Fields.string(r, "manager id"));
        }

        public ByteBuf frame() {
            return Frames.frame(Frames.WELCOME, Fields.string(Fields.bytes(new WireWriter(), serverProof), managerId));
        }
    }

    /** The 32-byte binding both sides pass to SRP: SHA-256 of a label, the nonce and the account. */
    public static byte[] binding(byte[] managerNonce, String account) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("tandem webconnect logon v1".getBytes(StandardCharsets.US_ASCII));
            d.update(managerNonce);
            d.update(account.getBytes(StandardCharsets.UTF_8));
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid account and Host names: 1..64 letters, digits, '.', '-', '_'. */
    public static boolean validName(String name) {
        return name != null && name.matches("[A-Za-z0-9._-]{1,64}");
    }
}
