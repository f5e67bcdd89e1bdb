package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.tandemrc.api.session.Channel;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.ToolInfo;
import org.tandemrc.api.tool.client.ToolSession;
import org.tandemrc.protocol.ProtocolException;

/**
 * The Guest's remote-management session: each call one request and its answer. Calls from several
 * threads take turns; an answer arrives on the channel's thread and is read by the calling thread. A
 * Host that does not answer within the timeout, or answers out of turn or malformed, ends the session.
 */
final class GuestTools implements SessionHandler, ToolSession {

    private static final ByteBuffer CLOSED = ByteBuffer.allocate(0);

    private final long timeoutMillis;
    private final BlockingQueue<ByteBuffer> inbox = new LinkedBlockingQueue<>();
    private final ReentrantLock turn = new ReentrantLock();
    private volatile Channel channel;
    private volatile boolean waiting;
    private volatile String closedReason;

    GuestTools(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    void attach(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void received(ByteBuffer message) {
        if (!waiting) {
            close("the Host answered without a request");
            return;
        }
        inbox.add(ByteBuffer.allocate(message.remaining()).put(message).flip());
    }

    @Override
    public void closed(String reason) {
        closedReason = reason;
        inbox.add(CLOSED);
    }

    private void close(String reason) {
        Channel c = channel;
        if (c != null) {
            c.close(reason);
        }
    }

    private ToolException ended() {
        return new ToolException("the remote-management session ended: " + closedReason);
    }

    /** Sends one request and waits for its answer: tools or a result; the Host's sentence is a ToolException. */
    private ToolWire.Answer request(ByteBuffer request) throws ToolException, InterruptedException {
        turn.lockInterruptibly();
        try {
            if (closedReason != null) {
                throw ended();
            }
            if (request.remaining() > ToolWire.MAX_REQUEST) {
                throw new ToolException("the request is too large (" + request.remaining() + " bytes; at most "
                        + ToolWire.MAX_REQUEST + ")");
            }
            waiting = true;
            ByteBuffer answer;
            try {
                channel.send(request);
                answer = inbox.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } finally {
                waiting = false;
            }
            if (answer == null) {
                String why = "the Host did not answer within " + (timeoutMillis % 1000 == 0
                        ? timeoutMillis / 1000 + " s" : timeoutMillis + " ms");
                close(why);
                throw new ToolException(why);
            }
            if (answer == CLOSED) {
                inbox.add(CLOSED);
                throw ended();
            }
            ToolWire.Answer read;
            try {
                read = ToolWire.readAnswer(answer);
            } catch (ProtocolException e) {
                close("malformed remote-management answer: " + e.getMessage());
                throw new ToolException("the Host's answer is malformed: " + e.getMessage());
            }
            if (read instanceof ToolWire.Failure f) {
                throw new ToolException(f.sentence());
            }
            return read;
        } catch (InterruptedException e) {
            // The answer may still come: the session cannot tell it from the next one's.
            close("the Guest gave up waiting");
            throw e;
        } finally {
            turn.unlock();
        }
    }

    @Override
    public List<ToolInfo> tools() throws ToolException, InterruptedException {
        ToolWire.Answer answer = request(ToolWire.encode(new ToolWire.ListTools()));
        if (!(answer instanceof ToolWire.Tools t)) {
            close("the Host answered a list of tools with something else");
            throw new ToolException("the Host answered out of turn");
        }
        return t.tools();
    }

    @Override
    public Result invoke(String toolId, String operationId, Map<String, String> arguments)
            throws ToolException, InterruptedException {
        Objects.requireNonNull(toolId, "toolId");
        Objects.requireNonNull(operationId, "operationId");
        Objects.requireNonNull(arguments, "arguments");
        ByteBuffer request;
        try {
            request = ToolWire.encode(new ToolWire.Invoke(toolId, operationId, arguments));
        } catch (IllegalArgumentException e) {
            throw new ToolException("an argument is too long: " + e.getMessage());
        }
        ToolWire.Answer answer = request(request);
        if (!(answer instanceof ToolWire.Outcome o)) {
            close("the Host answered an operation with something else");
            throw new ToolException("the Host answered out of turn");
        }
        return o.result();
    }

    @Override
    public void close() {
        close("the Guest closed remote management");
    }
}
