package org.tandemrc.webconnect.protocol;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;

/**
 * What a WebConnect client, Host or relay sends before anyone trusts it: the length-prefixed frames
 * and their fields, and the pairing tokens a relay checks.
 */
class WebConnectFuzzTest {

    private static final KeyPair MANAGER = ed25519();

    /**
     * Bytes arrive in pieces; the frame decoder cuts them into frames, and each frame's fields are read
     * as the manager and the relay read them, field by field and as whole logon messages. Refusals: the
     * decoder's (the channel is closed) and the codec kit's {@link ProtocolException}.
     */
    @FuzzTest(maxDuration = "5m")
    void frames(FuzzedDataProvider data) {
        EmbeddedChannel ch = new EmbeddedChannel(Frames.decoder(Frames.MAX_CONTROL_FRAME));
        List<ByteBuf> frames = new ArrayList<>();
        byte[] reads = data.consumeBytes(8);
        while (data.remainingBytes() > 0 && ch.isOpen()) {
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 512))));
            } catch (DecoderException refused) {
                break;
            }
            for (Object o; (o = ch.readInbound()) != null;) {
                frames.add((ByteBuf) o);
            }
        }
        for (ByteBuf f : frames) {
            try {
                readFields(Fields.reader(f), reads);
            } catch (ProtocolException refused) {
                // declared refusal
            } finally {
                f.release();
            }
        }
        ch.finishAndReleaseAll();
    }

    private static void readFields(WireReader f, byte[] reads) throws ProtocolException {
        switch (f.u8("frame type")) {
            case Frames.LOGON -> Logon.Request.read(f);
            case Frames.CHALLENGE -> Logon.Challenged.read(f);
            case Frames.PROOF -> Logon.readProof(f);
            case Frames.WELCOME -> Logon.Welcome.read(f);
            case Frames.REGISTER -> Pairing.Register.read(f);
            case Frames.OFFER -> Pairing.Offer.read(f);
            case Frames.PAIRED -> Pairing.Paired.read(f);
            case Frames.HELLO -> Hello.read(f);
            case Frames.SUPPORT_CREATE -> Support.Create.read(f);
            case Frames.SUPPORT -> Support.Session.read(f);
            case Frames.SUPPORT_CHANGE -> Support.Change.read(f);
            case Frames.SUPPORT_SESSIONS -> Support.Sessions.read(f);
            case Frames.SUPPORT_JOIN -> Support.normalize(Support.Join.read(f).code());
            case Frames.SUPPORT_JOINED -> Support.Joined.read(f);
            case Frames.REGISTERED -> Resumption.readRegistered(f);
            case Frames.RESUME_LOGON -> Resumption.Request.read(f);
            case Frames.RESUME_CHALLENGE -> Resumption.readChallenge(f);
            case Frames.RESUME_PROOF -> Resumption.readProof(f);
            case Frames.RESUMED -> Resumption.Resumed.read(f);
            case Frames.RETRY -> Resumption.Retry.read(f);
            default -> {
                for (byte r : reads) {
                    switch (r & 7) {
                        case 0 -> Fields.string(f, "string");
                        case 1 -> Fields.bytes(f, "bytes");
                        case 2 -> f.i32("int");
                        case 3 -> f.i64("long");
                        case 4 -> f.u8("byte");
                        case 5 -> f.u16("u16");
                        default -> Fields.count(f, "count", 2, 64);
                    }
                }
            }
        }
    }

    /** A made-up token is refused with SecurityException; a signed one reads back as it was made. */
    @FuzzTest(maxDuration = "5m")
    void pairingToken(FuzzedDataProvider data) {
        long now = data.consumeLong();
        if (data.consumeBoolean()) {
            byte[] token = data.consumeRemainingAsBytes();
            try {
                PairingToken.verify(token, this::manager, now);
                throw new AssertionError("an unsigned token was accepted");
            } catch (SecurityException refused) {
                // declared refusal
            }
            return;
        }
        byte[] id = data.consumeBytes(16);
        if (id.length != 16) {
            return;
        }
        byte role = data.consumeByte();
        String relay = data.consumeString(300);
        String manager = data.consumeBoolean() ? "m" : data.consumeString(300);
        long expires = data.consumeLong();
        byte[] token = new PairingToken(id, role, relay, expires, manager).sign(MANAGER.getPrivate());
        int flip = data.consumeInt(-1, token.length - 1);
        if (flip >= 0) {
            token[flip] ^= (byte) (1 + data.consumeInt(0, 254));
        }
        try {
            PairingToken t = PairingToken.verify(token, this::manager, now);
            if (flip >= 0 || !Arrays.equals(t.pairingId(), id) || t.role() != role || !t.relayId().equals(relay)
                    || t.expiresAt() != expires || !t.managerId().equals(manager)) {
                throw new AssertionError("a token was accepted that is not the one signed: " + t);
            }
        } catch (SecurityException refused) {
            // declared refusal
        }
    }

    private Optional<PublicKey> manager(String id) {
        return id.isEmpty() ? Optional.empty() : Optional.of(MANAGER.getPublic());
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
