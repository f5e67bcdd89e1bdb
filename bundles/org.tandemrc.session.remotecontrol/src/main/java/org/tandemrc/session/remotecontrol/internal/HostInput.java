package org.tandemrc.session.remotecontrol.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.tandemrc.api.screen.Display;
import org.tandemrc.api.screen.InputEvent;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.support.text.PeerText;

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
        try {
            Messages.ToHost message = Messages.readInput(m);
            if (message instanceof Messages.Text t) {
                Display d = whole();
                for (int cp : t.text().codePoints().toArray()) {
                    input.typeCharacter(d, cp);
                }
            } else if (message instanceof Messages.Key k) {
                input.inject(whole(), new InputEvent.Key(k.keysym(), k.pressed()));
            } else if (message instanceof Messages.Move v) {
                input.inject(whole(), new InputEvent.PointerMove(v.x(), v.y()));
            } else if (message instanceof Messages.Button b) {
                input.inject(whole(), new InputEvent.PointerButton(b.button(), b.pressed()));
            } else if (message instanceof Messages.Wheel w) {
                input.inject(whole(), new InputEvent.Wheel(w.dx(), w.dy()));
            } else if (message instanceof Messages.Sync s) {
                context.channel().send(Messages.encode(new Messages.Synced(s.id())));
            }
        } catch (ProtocolException e) {
            context.channel().close(e.getMessage());
        } catch (IOException e) {
            // The platform cannot do this one (a character its backend cannot type, a key it has no
            // code for): the Guest hears why, the rest of the message is dropped, the session goes on.
            LOG.log(System.Logger.Level.WARNING, "input from {0} refused: {1}", PeerText.escape(context.guestName()),
                    PeerText.escape(e.getMessage()));
            context.channel().send(Messages.encode(new Messages.Refused(e.getMessage())));
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
