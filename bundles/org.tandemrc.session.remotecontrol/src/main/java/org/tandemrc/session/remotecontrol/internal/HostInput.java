package org.tandemrc.session.remotecontrol.internal;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.text.PeerText;

/**
 * The Host side of the input channel: keyboard and mouse, in whole-screen coordinates. The Host opens
 * this channel only for a role with CONTROL_INPUT, so a View only Guest never gets here.
 */
final class HostInput implements SessionHandler {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.remotecontrol");

    private final SessionContext context;
    private final ScreenSource screen;
    private final InputSink input;
    private Display whole;

    HostInput(SessionContext context, ScreenSource screen, InputSink input) {
        this.context = context;
        this.screen = screen;
        this.input = input;
    }

    @Override
    public void received(ByteBuffer m) {
        if (!m.hasRemaining()) {
            context.channel().close("empty input message");
            return;
        }
        int type = m.get() & 0xff;
        try {
            switch (type) {
                case Wire.TEXT -> {
                    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .decode(m).toString();
                    Display d = whole();
                    for (int cp : text.codePoints().toArray()) {
                        input.typeCharacter(d, cp);
                    }
                }
                case Wire.KEY -> input.inject(whole(), new InputEvent.Key(m.getInt(), m.get() != 0));
                case Wire.MOVE -> input.inject(whole(), new InputEvent.PointerMove(m.getInt(), m.getInt()));
                case Wire.BUTTON -> input.inject(whole(), new InputEvent.PointerButton(m.getInt(), m.get() != 0));
                case Wire.WHEEL -> input.inject(whole(), new InputEvent.Wheel(m.getInt(), m.getInt()));
                case Wire.SYNC -> context.channel().send(Wire.message(Wire.SYNCED, m.getInt()));
                default -> context.channel().close("unknown input message " + type);
            }
        } catch (BufferUnderflowException | CharacterCodingException e) {
            context.channel().close("malformed input message");
        } catch (IOException e) {
            // The platform cannot do this one (a character its backend cannot type, a key it has no
            // code for): the Guest hears why, the rest of the message is dropped, the session goes on.
            LOG.log(System.Logger.Level.WARNING, "input from {0} refused: {1}", PeerText.escape(context.guestName()),
                    PeerText.escape(e.getMessage()));
            context.channel().send(Wire.text(Wire.REFUSED, e.getMessage()));
        } catch (RuntimeException e) {
            context.channel().close("the Host's input failed: " + e.getMessage());
        }
    }

    /** Input goes to the whole screen; the Guest adds the offset of the monitor it shows. */
    private Display whole() throws IOException {
        if (whole == null) {
            whole = screen.displays().get(0);
        }
        return whole;
    }

    @Override
    public void closed(String reason) {
        // nothing held
    }
}
