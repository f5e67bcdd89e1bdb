package org.tandemrc.webconsole.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketClose;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketMessage;
import org.eclipse.jetty.websocket.api.annotations.OnWebSocketOpen;
import org.eclipse.jetty.websocket.api.annotations.WebSocket;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.OpenStream;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.StreamListener;

/**
 * {@code /ws/tool-stream?connection=ID&tool=T&operation=O&kind=K}: one streaming operation of a Host's tool in
 * the browser (a shell in a terminal emulator, a followed log, a live table). The page sends JSON text: first
 * {@code open} with the arguments (and a terminal's size), then {@code keys} (typed text), {@code resize},
 * and {@code ack} with the bytes it has shown. The Host's output goes out as binary messages (terminal bytes,
 * UTF-8 text), a table as {@code shown}, the end as {@code ended}. Flow control end to end: the Host may send
 * more only while less than a window of output is unshown in the page, and keys wait for the Host's room.
 */
@WebSocket
public class ToolStreamSocket {

    /** Output the page may have unshown before the Host waits. */
    static final long WINDOW = 256 * 1024;
    /** Keys waiting for the Host's room at most: a page that types more is closed. */
    static final long MAX_PENDING_KEYS = 1024 * 1024;

    private final Connections.Link link;
    private final RemoteTools tools;
    private final String tool;
    private final String operation;
    private final StreamKind kind;
    private final java.util.concurrent.Executor work;
    private final AtomicLong pendingKeys = new AtomicLong();
    private final Object window = new Object();
    private long unshown;
    private CompletableFuture<Void> room;
    private CompletableFuture<Void> keys = CompletableFuture.completedFuture(null);
    private Outbox out;
    private volatile OpenStream stream;
    private volatile boolean opening;
    private volatile boolean linked;
    private volatile boolean closed;

    /**
     * @throws IllegalArgumentException for a kind the page cannot have chosen, or a missing tool or operation
     */
    ToolStreamSocket(Connections connections, Connections.Link link, RemoteTools tools, String tool, String operation,
            String kind) {
        if (tool == null || tool.isBlank() || operation == null || operation.isBlank() || kind == null) {
            throw new IllegalArgumentException("say which tool, operation and kind");
        }
        this.link = link;
        this.tools = tools;
        this.tool = tool;
        this.operation = operation;
        this.kind = StreamKind.valueOf(kind.toUpperCase(Locale.ROOT));
        this.work = connections.work;
    }

    @OnWebSocketOpen
    public void open(Session session) {
        out = new Outbox(session);
    }

    @OnWebSocketClose
    public void close(int status, String reason) {
        closed = true;
        OpenStream s = stream;
        if (s != null) {
            s.close();
        }
        synchronized (window) {
            if (room != null) {
                room.complete(null);
            }
        }
    }

    @OnWebSocketMessage
    public void message(Session session, String text) {
        Map<String, Object> m = out.object(text);
        if (m == null) {
            return;
        }
        String type = String.valueOf(m.get("t"));
        switch (type) {
            case "open" -> open(m);
            case "keys" -> keys(m.get("data"));
            case "resize" -> {
                OpenStream s = stream;
                int columns = whole(m.get("columns"));
                int rows = whole(m.get("rows"));
                if (s != null && columns >= 1 && rows >= 1 && columns <= 1000 && rows <= 1000) {
                    s.resize(columns, rows);
                }
            }
            case "ack" -> shown(whole(m.get("bytes")));
            default -> out.close(1003, "unknown message " + type);
        }
    }

    /** Keys come as text: a binary message is a hostile page's. */
    @OnWebSocketMessage
    public void binary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        out.close(1003, "no binary input");
    }

    private static int whole(Object o) {
        return o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e9
                ? n.intValue() : -1;
    }

    private void open(Map<String, Object> m) {
        if (opening) {
            out.close(1003, "opened already");
            return;
        }
        opening = true;
        Map<String, String> arguments = new HashMap<>();
        if (m.get("arguments") instanceof Map<?, ?> given) {
            for (Map.Entry<?, ?> e : given.entrySet()) {
                if (e.getKey() instanceof String k && e.getValue() instanceof String v) {
                    arguments.put(k, v);
                }
            }
        }
        // Opening waits for the Host (a process to start): not on Jetty's thread.
        work.execute(() -> {
            try {
                OpenStream s = tools.stream(link.connection, tool, operation, kind, arguments, new Listener());
                link.opened("Remote Management");
                linked = true;
                stream = s;
                if (closed) {
                    s.close();
                    return;
                }
                out.text(Json.write(Map.of("t", "opened", "kind", kind.name(), "maxWrite", s.maxWrite())));
            } catch (GuestException | ToolException e) {
                ended(e.getMessage(), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void keys(Object data) {
        OpenStream s = stream;
        if (!(data instanceof String typed) || s == null) {
            return; // keys before the shell runs have nowhere to go
        }
        byte[] bytes = typed.getBytes(StandardCharsets.UTF_8);
        if (pendingKeys.addAndGet(bytes.length) > MAX_PENDING_KEYS) {
            out.close(1008, "too many keys at once");
            return;
        }
        synchronized (this) {
            for (int off = 0; off < bytes.length; off += s.maxWrite()) {
                ByteBuffer chunk = ByteBuffer.wrap(bytes, off, Math.min(s.maxWrite(), bytes.length - off));
                int n = chunk.remaining();
                // In order, each once the Host has room for it.
                keys = keys.thenCompose(v -> s.write(chunk)).whenComplete((v, e) -> pendingKeys.addAndGet(-n));
            }
        }
    }

    /** The page has shown {@code bytes} more: the Host may send on when the window has room again. */
    private void shown(int bytes) {
        if (bytes < 0) {
            out.close(1003, "bad ack");
            return;
        }
        CompletableFuture<Void> go = null;
        synchronized (window) {
            unshown = Math.max(0, unshown - bytes);
            if (room != null && unshown < WINDOW) {
                go = room;
                room = null;
            }
        }
        if (go != null) {
            go.complete(null);
        }
    }

    private void ended(String sentence, boolean ok) {
        if (linked) {
            link.ended("Remote Management");
        }
        out.text(Json.write(Map.of("t", "ended", "sentence", sentence, "ok", ok)));
        out.close(1000, "ended");
    }

    private final class Listener implements StreamListener {
        private boolean counted = true;

        @Override
        public CompletionStage<Void> data(ByteBuffer data) {
            int n = data.remaining();
            if (!out.binary(data)) {
                return CompletableFuture.failedFuture(new IllegalStateException("the page is gone"));
            }
            synchronized (window) {
                unshown += n;
                if (unshown < WINDOW || closed) {
                    return CompletableFuture.completedFuture(null);
                }
                room = new CompletableFuture<>();
                return room;
            }
        }

        @Override
        public void shown(Result result) {
            out.text(Json.write(Map.of("t", "shown", "result", Tools.result(result))));
        }

        @Override
        public void ended(String sentence, boolean ok) {
            if (counted) {
                counted = false;
                ToolStreamSocket.this.ended(sentence, ok);
            }
        }
    }
}
