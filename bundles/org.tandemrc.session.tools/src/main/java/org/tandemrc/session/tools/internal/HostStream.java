package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamInput;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.StreamingTool;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.ToolStream;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.support.text.PeerText;

/**
 * The Host's side of one streaming operation ({@code tool-stream} session): reads the Guest's OPEN, checks it
 * as a request is checked (tool, privilege, operation, arguments) and that the operation streams as the
 * Guest expects, starts the tool, and then carries output and input both ways under {@link StreamFlow}.
 * The tool is called on the stream's own thread, never on the connection's; a peer that breaks the
 * protocol closes the stream.
 */
final class HostStream implements SessionHandler, ToolStream {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.tools");

    private final SessionContext context;
    private final Catalog catalog;
    private final HostTools.Audit audit;
    private final StreamFlow flow;
    private final Worker worker;
    /** Set once OPEN arrived (the reading thread only). */
    private boolean opened;
    /** Touched on the worker only. */
    private StreamInput input;
    private volatile String detail = "";
    private volatile boolean changesHost;
    private volatile boolean ended;
    private volatile boolean closed;

    HostStream(SessionContext context, Supplier<List<RemoteTool>> tools, HostTools.Audit audit) {
        this.context = context;
        this.catalog = new Catalog(context, tools, audit);
        this.audit = audit;
        this.flow = new StreamFlow(context.channel(), true, true);
        this.worker = new Worker("tandem-tool-stream-" + context.guestName());
    }

    @Override
    public void received(ByteBuffer message) {
        try {
            StreamWire.In in = StreamWire.readIn(message);
            if (in instanceof StreamWire.Open open) {
                if (opened) {
                    throw new ProtocolException("a second OPEN on one stream");
                }
                opened = true;
                run(() -> start(open));
                return;
            }
            if (!opened) {
                throw new ProtocolException("stream input before OPEN");
            }
            if (in instanceof StreamWire.Data d) {
                int n = d.bytes().remaining();
                flow.received(n);
                run(() -> data(d.bytes(), n));
            } else if (in instanceof StreamWire.Resize r) {
                run(() -> {
                    if (input != null) {
                        input.resize(r.columns(), r.rows());
                    }
                });
            } else if (in instanceof StreamWire.Ack a) {
                flow.acknowledged(a.bytes());
            }
        } catch (ProtocolException e) {
            context.channel().close("malformed stream message: " + e.getMessage());
        }
    }

    private void run(Runnable task) {
        worker.run(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a remote tool's stream failed", e);
                end("the Host's tool failed: " + e, false);
            }
        });
    }

    /** On the worker: check, start, and tell the Guest it runs (or why not). */
    private void start(StreamWire.Open open) {
        Catalog.Call call;
        try {
            call = catalog.check(open.tool(), open.operation(), open.arguments());
            if (!call.operation().streams() || !(call.tool() instanceof StreamingTool)) {
                throw new ToolException(call.operation().title() + " does not stream: run it as a request");
            }
            if (call.operation().stream() != open.kind()) {
                throw new ToolException(call.operation().title() + " streams as " + call.operation().stream()
                        + ", not as " + open.kind());
            }
        } catch (ToolException e) {
            refuse(e.getMessage());
            return;
        }
        detail = call.detail();
        changesHost = call.operation().changesHost();
        StreamKind kind = call.operation().stream();
        try {
            input = ((StreamingTool) call.tool()).open(call.operation().id(), call.arguments(), this);
            if (input == null) {
                throw new ToolException(call.tool().title() + " started nothing");
            }
        } catch (ToolException e) {
            audited(false, ": " + e.getMessage());
            refuse(e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, call.tool().title() + " failed on " + PeerText.escape(detail), e);
            audited(false, ": " + e);
            refuse(call.tool().title() + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return;
        }
        audited(true, " (stream opened)");
        context.channel().send(StreamWire.started(kind));
        flow.release();
    }

    private void audited(boolean ok, String what) {
        if (changesHost) {
            audit.operation(context.guestName(), detail + what, ok);
        }
    }

    private void refuse(String sentence) {
        flow.discard();
        ended = true;
        context.channel().send(StreamWire.end(false, sentence == null ? "the stream cannot start" : sentence));
        flow.end("refused");
    }

    /** On the worker: hands the Guest's bytes to the tool, and acknowledges them once it took them. */
    private void data(ByteBuffer bytes, int n) {
        if (input == null || ended) {
            flow.consumed(n);
            return;
        }
        CompletionStage<Void> taken = input.data(bytes);
        (taken == null ? java.util.concurrent.CompletableFuture.<Void>completedFuture(null) : taken)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        end("the Host's tool could not take the input: " + e.getMessage(), false);
                    } else {
                        flow.consumed(n);
                    }
                });
    }

    // ---- ToolStream: the tool's output

    @Override
    public String guestName() {
        return context.guestName();
    }

    @Override
    public String roleName() {
        return context.roleName();
    }

    @Override
    public int maxWrite() {
        return StreamWire.MAX_DATA;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        return flow.data(data);
    }

    @Override
    public CompletionStage<Void> show(Result result) {
        ByteBuffer m = StreamWire.show(result);
        if (m.remaining() > Math.min(ToolWire.MAX_ANSWER, context.channel().maxMessageSize())) {
            throw new IllegalArgumentException("a result of " + m.remaining() + " bytes is too large to show");
        }
        return flow.send(m, m.remaining());
    }

    @Override
    public void end(String sentence, boolean ok) {
        if (ended) {
            return;
        }
        ended = true;
        if (changesHost) {
            audit.operation(context.guestName(), detail + " -> " + sentence, ok);
        }
        flow.send(StreamWire.end(ok, sentence), 0);
    }

    @Override
    public boolean isOpen() {
        return !ended && !closed;
    }

    @Override
    public void closed(String reason) {
        closed = true;
        ended = true;
        flow.end(reason);
        run(() -> {
            StreamInput in = input;
            input = null;
            if (in != null) {
                in.closed(reason);
            }
        });
        worker.stop();
    }
}
