package org.tandemrc.comm.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.testing.DeviceConformance;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;

/**
 * What anyone who reaches an http endpoint sends: the request that picks a route (WebSocket, download
 * half, upload half, anything else), then the bytes of the tunnel; and the tunnel's frames alone.
 */
class HttpTunnelFuzzTest {

    private static final Settings SETTINGS = new Settings(new CommunicationProfile("fuzz", "http", Map.of()));

    /** Frames in pieces; the only refusal is TooLongFrameException, and no message exceeds the limit. */
    @FuzzTest(maxDuration = "5m")
    void frames(FuzzedDataProvider data) {
        int max = data.consumeInt(0, 70_000);
        FrameReader reader = new FrameReader(max, new FrameReader.Sink() {
            @Override
            public void message(ByteBuf message) {
                int n = message.readableBytes();
                message.release();
                if (n > max) {
                    throw new AssertionError("a message of " + n + " bytes passed a limit of " + max);
                }
            }

            @Override
            public void control(byte type, String text) {
            }
        });
        try {
            while (data.remainingBytes() > 0) {
                reader.feed(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 600))));
            }
        } catch (TooLongFrameException refused) {
            // declared refusal
        } finally {
            reader.release();
        }
    }

    /** A request line and headers, then whatever follows on the route they chose. */
    @FuzzTest(maxDuration = "5m")
    void routes(FuzzedDataProvider data) {
        ServerRouter.Sessions sessions = new ServerRouter.Sessions();
        EmbeddedChannel down = null;
        String head;
        switch (data.consumeInt(0, 3)) {
            case 0 -> head = data.consumeString(600);
            case 1 -> head = "GET /tandem HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
            case 2 -> head = "GET /tandem?tunnel=down HTTP/1.1\r\nHost: h\r\n\r\n";
            default -> {
                down = endpoint(sessions);
                down.writeInbound(ascii("GET /tandem?tunnel=down HTTP/1.1\r\nHost: h\r\n\r\n"));
                String token = sessions.waiting.keySet().iterator().next();
                head = "POST /tandem?tunnel=up&session=" + (data.consumeBoolean() ? token : data.consumeString(40))
                        + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
            }
        }
        EmbeddedChannel ch = endpoint(sessions);
        refusing(ch, () -> ch.writeInbound(ascii(head)));
        while (data.remainingBytes() > 0 && ch.isOpen()) {
            refusing(ch, () -> ch.writeInbound(Unpooled.wrappedBuffer(data.consumeBytes(data.consumeInt(1, 800)))));
            EmbeddedChannel d = down;
            refusing(ch, () -> pump(ch, d));
        }
        EmbeddedChannel d = down;
        refusing(ch, () -> pump(ch, d));
        ch.finishAndReleaseAll();
        if (down != null) {
            down.finishAndReleaseAll();
        }
    }

    /**
     * Runs a step; a Netty codec's refusal of a protocol violation counts as a refusal when it closed the
     * channel. (An embedded channel closes at once, so the exception passes handlers that a real
     * connection still has; it does not mean the endpoint failed.)
     */
    private static void refusing(EmbeddedChannel ch, Runnable step) {
        try {
            step.run();
        } catch (DecoderException e) { // CorruptedFrameException, TooLongFrameException and the WebSocket ones
            ch.runPendingTasks();
            if (ch.isOpen()) {
                throw new AssertionError("a protocol violation left the connection open", e);
            }
        }
    }

    private static EmbeddedChannel endpoint(ServerRouter.Sessions sessions) {
        return new EmbeddedChannel(new HttpServerCodec(4096, 8192, 64 * 1024),
                new ServerRouter(SETTINGS, link -> DeviceConformance.DISCARD, sessions));
    }

    private static void pump(EmbeddedChannel ch, EmbeddedChannel down) {
        for (EmbeddedChannel c : down == null ? new EmbeddedChannel[] {ch} : new EmbeddedChannel[] {ch, down}) {
            c.runPendingTasks();
            c.checkException();
            for (Object o; (o = c.readOutbound()) != null;) {
                ReferenceCountUtil.release(o);
            }
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
