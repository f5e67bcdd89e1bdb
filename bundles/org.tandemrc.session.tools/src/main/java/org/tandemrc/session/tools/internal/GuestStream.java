package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.OpenStream;
import org.tandemrc.api.tool.client.StreamListener;
import org.tandemrc.protocol.ProtocolException;

/**
 * The Guest's side of one streaming operation: sends OPEN, waits for STARTED (or the Host's refusal), then
 * hands the Host's output to the listener on the stream's own thread and sends the front end's input under
 * {@link StreamFlow}. A Host that sends what the stream's kind does not carry, or breaks the protocol,
 * ends the stream.
 */
final class GuestStream implements SessionHandler, OpenStream {

    private final StreamKind expected;
    private final StreamListener listener;
    private final CompletableFuture<StreamKind> started = new CompletableFuture<>();
    private final Worker worker;
    private volatile Channel channel;
    private volatile StreamFlow flow;
    private volatile boolean ended;

    GuestStream(StreamKind expected, StreamListener listener) {
        this.expected = expected;
        this.listener = listener;
        this.worker = new Worker("tandem-guest-stream");
    }

    /** Sends OPEN on the stream's channel and waits for the Host to start it. */
    void start(Channel c, String tool, String operation, Map<String, String> arguments, long timeoutMillis)
            throws ToolException, InterruptedException {
        this.flow = new StreamFlow(c, false, false);
        this.channel = c;
        ByteBuffer open;
        try {
            open = StreamWire.open(tool, operation, expected, arguments);
        } catch (IllegalArgumentException e) {
            c.close("the request is too large");
            throw new ToolException("the request is too large: " + e.getMessage());
        }
        if (open.remaining() > ToolWire.MAX_REQUEST) {
            c.close("the request is too large");
            throw new ToolException("the request is too large (" + open.remaining() + " bytes; at most "
                    + ToolWire.MAX_REQUEST + ")");
        }
        c.send(open);
        try {
            started.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String why = "the Host did not start the stream within " + timeoutMillis / 1000 + " s";
            c.close(why);
            throw new ToolException(why);
        } catch (java.util.concurrent.ExecutionException e) {
            c.close("the stream did not start");
            throw new ToolException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            c.close("interrupted");
            throw e;
        }
    }

    @Override
    public void received(ByteBuffer message) {
        int size = message.remaining();
        try {
            StreamWire.Out out = StreamWire.readOut(message);
            if (!started.isDone()) {
                if (out instanceof StreamWire.Started s) {
                    if (s.kind() != expected) {
                        throw new ProtocolException("the Host streams " + s.kind() + " for " + expected);
                    }
                    started.complete(s.kind());
                } else if (out instanceof StreamWire.End e && !e.ok()) {
                    ended = true;
                    started.completeExceptionally(new ToolException(e.sentence()));
                    channel.close("refused");
                } else {
                    throw new ProtocolException("stream output before the Host started it");
                }
                return;
            }
            if (out instanceof StreamWire.Data d) {
                if (expected == StreamKind.TABLE) {
                    throw new ProtocolException("bytes on a stream of results");
                }
                int n = d.bytes().remaining();
                flow.received(n);
                worker.run(() -> {
                    CompletionStage<Void> taken = listener.data(d.bytes());
                    (taken == null ? CompletableFuture.<Void>completedFuture(null) : taken).whenComplete((v, e) -> {
                        if (e != null) {
                            close();
                        } else {
                            flow.consumed(n);
                        }
                    });
                });
            } else if (out instanceof StreamWire.Show s) {
                if (expected != StreamKind.TABLE) {
                    throw new ProtocolException("a result on a stream of bytes");
                }
                int n = size;
                flow.received(n);
                worker.run(() -> {
                    listener.shown(s.result());
                    flow.consumed(n);
                });
            } else if (out instanceof StreamWire.Ack a) {
                flow.acknowledged(a.bytes());
            } else if (out instanceof StreamWire.End e) {
                finish(e.sentence(), e.ok());
                channel.close("ended");
            } else {
                throw new ProtocolException("a second STARTED");
            }
        } catch (ProtocolException e) {
            String why = "the Host broke the stream's protocol: " + e.getMessage();
            finish(why, false);
            channel.close(why);
        }
    }

    /** Tells the listener, once, after the output before it. */
    private void finish(String sentence, boolean ok) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        StreamFlow f = flow;
        if (f != null) {
            f.end(sentence);
        }
        worker.run(() -> listener.ended(sentence, ok));
        worker.stop();
    }

    @Override
    public void closed(String reason) {
        if (!started.isDone()) {
            started.completeExceptionally(new ToolException("the stream ended before it started: " + reason));
            ended = true;
            worker.stop();
            return;
        }
        finish("the stream ended: " + reason, false);
    }

    // ---- OpenStream

    @Override
    public StreamKind kind() {
        return expected;
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
    public void resize(int columns, int rows) {
        if (expected != StreamKind.TERMINAL || ended) {
            return;
        }
        int c = Math.max(1, Math.min(StreamWire.MAX_TERMINAL, columns));
        int r = Math.max(1, Math.min(StreamWire.MAX_TERMINAL, rows));
        channel.send(StreamWire.resize(c, r));
    }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        finish("you closed the stream", true);
        channel.close("the Guest closed the stream");
    }
}
