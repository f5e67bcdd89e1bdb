package org.tandemrc.session.tools.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.support.text.PeerText;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.ToolInfo;
import org.tandemrc.protocol.ProtocolException;

/**
 * The Host's side of a remote-management session: lists the tools the Guest's privileges allow and
 * runs their operations after checking the tool, the operation and the arguments. Requests are read
 * on the channel's thread (a malformed one closes the session) and run one at a time on the session's
 * own thread, so a slow tool never blocks the connection.
 */
final class HostTools implements SessionHandler {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.tools");

    /** Told of each operation that changes the Host, and of each tool a role may not use. */
    interface Audit {
        /** An operation that changes the Host ran (ok) or failed (not ok). */
        void operation(String guest, String detail, boolean ok);

        /** The Guest asked for a tool its role does not allow. */
        void refused(String guest, String detail);
    }

    private final SessionContext context;
    private final Catalog catalog;
    private final Audit audit;
    private final Worker worker;
    private final AtomicBoolean busy = new AtomicBoolean();

    HostTools(SessionContext context, Supplier<List<RemoteTool>> tools, Audit audit) {
        this.context = context;
        this.catalog = new Catalog(context, tools, audit);
        this.audit = audit;
        this.worker = new Worker("tandem-tools-" + context.guestName());
    }

    @Override
    public void received(ByteBuffer message) {
        ToolWire.Request request;
        try {
            request = ToolWire.readRequest(message);
        } catch (ProtocolException e) {
            context.channel().close("malformed remote-management request: " + e.getMessage());
            return;
        }
        if (!busy.compareAndSet(false, true)) {
            context.channel().close("a remote-management request before the answer to the one before");
            return;
        }
        worker.run(() -> {
            ByteBuffer answer = answer(request);
            busy.set(false);
            context.channel().send(answer);
        });
    }

    /** The answer to one request: never throws. */
    ByteBuffer answer(ToolWire.Request request) {
        try {
            ByteBuffer answer = ToolWire.encode(request instanceof ToolWire.Invoke i
                    ? new ToolWire.Outcome(invoke(i)) : new ToolWire.Tools(list()));
            if (answer.remaining() > Math.min(ToolWire.MAX_ANSWER, context.channel().maxMessageSize())) {
                return error("the answer is too large to send (" + answer.remaining() + " bytes; at most "
                        + Math.min(ToolWire.MAX_ANSWER, context.channel().maxMessageSize()) + ")");
            }
            return answer;
        } catch (ToolException e) {
            return error(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (IllegalArgumentException e) {
            // A text longer than the wire takes, or a tool's malformed description.
            return error("the Host cannot send the answer: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "remote management failed", e);
            return error("the Host's remote management failed: " + e);
        }
    }

    private static ByteBuffer error(String sentence) {
        return ToolWire.encode(new ToolWire.Failure(sentence));
    }

    /** The tools this Guest may use, one per id, sorted by section then title. */
    List<ToolInfo> list() {
        List<ToolInfo> out = new ArrayList<>();
        for (RemoteTool t : catalog.permitted().values()) {
            try {
                out.add(new ToolInfo(t.id(), t.title(), t.section(), t.operations()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a remote tool cannot describe itself", e);
            }
        }
        out.sort(Comparator.comparing(ToolInfo::section, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(ToolInfo::title, String.CASE_INSENSITIVE_ORDER).thenComparing(ToolInfo::id));
        return out;
    }

    private Result invoke(ToolWire.Invoke request) throws ToolException {
        Catalog.Call call = catalog.check(request.tool(), request.operation(), request.arguments());
        RemoteTool tool = call.tool();
        Operation operation = call.operation();
        Map<String, String> arguments = call.arguments();
        String detail = call.detail();
        if (operation.streams()) {
            throw new ToolException(operation.title() + " streams: it is opened, not run as a request");
        }
        try {
            Result result = tool.invoke(operation.id(), arguments);
            if (result == null) {
                throw new ToolException(tool.title() + " gave no result");
            }
            if (operation.changesHost()) {
                String changed = detail + changed(result, operation, arguments);
                LOG.log(System.Logger.Level.INFO, "{0} ran {1}", PeerText.escape(context.guestName()),
                        PeerText.escape(changed));
                audit.operation(context.guestName(), changed, true);
            }
            return result;
        } catch (ToolException e) {
            if (operation.changesHost()) {
                audit.operation(context.guestName(), detail + ": " + e.getMessage(), false);
            }
            throw e;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, tool.title() + " failed on " + PeerText.escape(detail), e);
            if (operation.changesHost()) {
                audit.operation(context.guestName(), detail + ": " + e, false);
            }
            throw new ToolException(tool.title() + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    @Override
    public void closed(String reason) {
        worker.stop();
    }

    /**
     * What the operation changed, in its own words (e.g. "Process 4242 (sleep) ended."), so the event
     * names it; secret arguments the message may repeat are masked as in the arguments.
     */
    private static String changed(Result result, Operation operation, Map<String, String> arguments) {
        if (!(result instanceof Result.Message m) || m.text().isBlank()) {
            return "";
        }
        String text = m.text();
        for (Field p : operation.parameters()) {
            String v = arguments.get(p.name());
            if (p.type() == FieldType.SECRET && v != null && !v.isEmpty()) {
                text = text.replace(v, "***");
            }
        }
        return " -> " + text;
    }
}
