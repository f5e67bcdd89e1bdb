package org.tandemrc.webconnect.manager.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.support.net.HostPort;
import org.tandemrc.support.text.Markup;
import org.tandemrc.webconnect.protocol.Support;
import org.tandemrc.webconnect.tls.Tls;

/**
 * The support page: a small HTTPS server beside the Connection Manager for the person being helped.
 * {@code GET /} offers the temporary Host preset with this manager only; {@code GET /s/TOKEN} names the
 * supporter of a waiting session and offers the temporary Host preset with its current code as well.
 * The download is {@code support.download} streamed from the disk, with its one {@code preset=''} line
 * replaced (the rest of the file byte for byte the same, so the script still finds its payload by line).
 *
 * <p>Only these fixed routes exist (no file is found by a path from the request), only GET and HEAD,
 * one request per connection, request line and headers bounded, idle connections closed, and a bounded
 * number of connections per address. An unknown, expired, joined or ended link gets one and the same
 * answer, so the page tells a guesser nothing about which tokens once existed.
 */
final class SupportPage {

    /**
     * What the operator configured.
     *
     * @param host     the address to listen on
     * @param port     the port (0: any, for tests)
     * @param url      the public base URL of links, without trailing slash; empty: https://HOST:PORT
     * @param download the temporary Host's self-extracting script, or null when none is configured
     * @param requestSeconds a connection that has not sent a whole request this long after it opened is closed
     */
    record Settings(String host, int port, String url, Path download, int requestSeconds) {
        Settings(String host, int port, String url, Path download) {
            this(host, port, url, download, 20);
        }
    }

    /** The file name the download is offered under, and the last path segment of its routes. */
    static final String FILE = "tandem-support-host-linux-x64.sh";
    /** The line of the script the page presets (Contract B): alone on its line among the first lines. */
    static final String PRESET_LINE = "preset=''";
    /** How many lines at the top of the script may hold the preset line. */
    static final int PRESET_LINES = 60;
    /** What a preset value may hold: the header checks the same with a {@code case} pattern. */
    static final Pattern PRESET_VALUE = Pattern.compile("[A-Za-z0-9.:_\\[\\]-]+");
    static final String NOT_VALID = "This support link is not valid any more";
    /** Nothing loads or runs but the page itself; the page has no script and no style. */
    static final String CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final int MAX_LINE = 2048;
    private static final int MAX_HEADERS = 8192;
    private static final int IDLE_SECONDS = 30;
    private static final int PER_ADDRESS = 8;
    private static final int ALL = 256;
    /** The top of the script read to find the preset line; the header is far smaller. */
    private static final int HEAD_BYTES = 64 * 1024;
    private static final Logger LOG = System.getLogger("org.tandemrc.webconnect.manager");
    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ManagerServer manager;
    private final Settings settings;
    private final Tls.ServerIdentity tls;
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean warnedMissing = new AtomicBoolean();
    private final AtomicBoolean warnedPreset = new AtomicBoolean();
    private final ChannelGroup children = new DefaultChannelGroup(
            GlobalEventExecutor.INSTANCE);
    private EventLoopGroup loop;
    private EventExecutorGroup answers;
    private Channel server;
    private String url;

    SupportPage(ManagerServer manager, Settings settings, Tls.ServerIdentity tls) {
        this.manager = manager;
        this.settings = settings;
        this.tls = tls;
    }

    /** Listens; the links the manager gives from now on start with {@link #url()}. */
    void start() throws IOException {
        loop = new NioEventLoopGroup(1, new DefaultThreadFactory("wc-support-page", true));
        // Answers look the token up in the database and read the script's top: off the I/O thread.
        answers = new DefaultEventExecutorGroup(2, new DefaultThreadFactory("wc-support-page-answer", true));
        try {
            server = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (!admit(ch)) {
                                ch.close();
                                return;
                            }
                            children.add(ch);
                            Answer answer = new Answer();
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS));
                            ch.pipeline().addLast(new HttpServerCodec(MAX_LINE, MAX_HEADERS, 8192));
                            ch.pipeline().addLast(new ChunkedWriteHandler());
                            ch.pipeline().addLast(answers, "page", answer);
                            // A byte now and then keeps a connection from going idle, not past this.
                            ch.eventLoop().schedule(() -> {
                                if (!answer.answered) {
                                    ch.close();
                                }
                            }, settings.requestSeconds(), TimeUnit.SECONDS);
                            tls.install(ch, LOG, "support page");
                        }
                    }).bind(settings.host(), settings.port()).sync().channel();
        } catch (Exception e) {
            stop();
            throw new IOException("the support page cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        url = settings.url().isEmpty() ? "https://" + new HostPort(settings.host(), port).authority()
                : settings.url().replaceAll("/+$", "");
        if (settings.url().isEmpty() && (settings.host().equals("0.0.0.0") || settings.host().equals("::"))) {
            LOG.log(Level.WARNING, "WebConnect support page: it listens on every address and support.page-url is not"
                    + " set, so links start with " + url + ": set support.page-url to the address people reach");
        }
        LOG.log(Level.INFO, "WebConnect support page " + url + " (listening on " + new HostPort(settings.host(), port)
                .authority() + "), TLS certificate " + tls.certificateFile() + " SHA-256 " + tls.fingerprint());
        if (script() == null) {
            warnMissing();
        }
        String dialled = manager.address().replaceFirst("(?i)^(tls|tcp):", "");
        if (dialled.startsWith("0.0.0.0:") || dialled.startsWith("[::]:")) {
            LOG.log(Level.WARNING, "WebConnect support page: the manager listens on " + dialled + " and advertises no"
                    + " other address; set advertise, or the downloads tell the temporary Host to dial " + dialled);
        }
    }

    /** The base URL of links. */
    String url() {
        return url;
    }

    void stop() {
        if (server != null) {
            server.close().awaitUninterruptibly(2000);
        }
        children.close().awaitUninterruptibly(2000);
        // A closed connection's handlers are removed on both executors in turn: both stay until it is done.
        Future<?> a = answers == null ? null
                : answers.shutdownGracefully(200, 2000, TimeUnit.MILLISECONDS);
        if (loop != null) {
            loop.shutdownGracefully(200, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5000);
        }
        if (a != null) {
            a.awaitUninterruptibly(5000);
        }
    }

    /** Counts the connection against its address's share and the total; false when either is used up. */
    private boolean admit(Channel ch) {
        InetAddress from = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        AtomicInteger mine = perAddress.computeIfAbsent(from, a -> new AtomicInteger());
        if (open.incrementAndGet() > ALL | mine.incrementAndGet() > PER_ADDRESS) {
            release(from, mine);
            return false;
        }
        ch.closeFuture().addListener(f -> release(from, mine));
        return true;
    }

    private void release(InetAddress from, AtomicInteger mine) {
        open.decrementAndGet();
        if (mine.decrementAndGet() <= 0) {
            perAddress.remove(from, mine);
        }
    }

    /** The configured script when it exists, else null. */
    private Path script() {
        Path d = settings.download();
        return d != null && Files.isRegularFile(d) ? d : null;
    }

    private void warnMissing() {
        if (warnedMissing.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "WebConnect support page: " + (settings.download() == null
                    ? "support.download is not set" : "support.download " + settings.download() + " is not a file")
                    + "; the page says the temporary Host's download is not available");
        }
    }

    /**
     * The preset line for a temporary Host of this manager (Contract B), with {@code code} when not null.
     *
     * @throws IllegalStateException when a value holds a character the header would refuse
     */
    String preset(String code) {
        StringBuilder b = new StringBuilder();
        if (code != null) {
            b.append("code=").append(checked(code)).append(';');
        }
        String address = manager.address();
        b.append("manager=").append(checked(address.regionMatches(true, 0, "tls:", 0, 4)
                || address.regionMatches(true, 0, "tcp:", 0, 4) ? address : "tcp:" + address));
        if (manager.tls() != null) {
            b.append(";trust-fingerprint=").append(checked(manager.tls().fingerprint()));
        }
        return "preset='" + b + "'";
    }

    private static String checked(String value) {
        if (!PRESET_VALUE.matcher(value).matches()) {
            throw new IllegalStateException("the preset value '" + value + "' holds characters other than"
                    + " A-Z a-z 0-9 . : _ [ ] -");
        }
        return value;
    }

    /**
     * The script with its preset line replaced: the bytes before the line and the new line, then the
     * rest of the file from {@code restOffset}.
     */
    record Prepared(byte[] head, long restOffset, long size) {
        long length() {
            return head.length + size - restOffset;
        }
    }

    /**
     * Finds the one preset line among the first {@link #PRESET_LINES} lines of {@code file}.
     *
     * @throws IOException when there is none, or more than one
     */
    static Prepared prepare(FileChannel file, String presetLine) throws IOException {
        long size = file.size();
        ByteBuffer top = ByteBuffer.allocate((int) Math.min(size, HEAD_BYTES));
        while (top.hasRemaining() && file.read(top, top.position()) > 0) {
            // read until the buffer is full or the file ends
        }
        byte[] bytes = Arrays.copyOf(top.array(), top.position());
        byte[] wanted = PRESET_LINE.getBytes(StandardCharsets.US_ASCII);
        int found = -1;
        int start = 0;
        for (int line = 0; line < PRESET_LINES && start < bytes.length; line++) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            if (end == bytes.length) {
                break; // a line longer than the top read: no header line
            }
            if (end - start == wanted.length && Arrays.equals(bytes, start, end, wanted, 0, wanted.length)) {
                if (found >= 0) {
                    throw new IOException("the download has more than one preset line");
                }
                found = start;
            }
            start = end + 1;
        }
        if (found < 0) {
            throw new IOException("the download has no preset line (" + PRESET_LINE + " alone on one of its first "
                    + PRESET_LINES + " lines)");
        }
        byte[] line = presetLine.getBytes(StandardCharsets.US_ASCII);
        byte[] head = new byte[found + line.length];
        System.arraycopy(bytes, 0, head, 0, found);
        System.arraycopy(line, 0, head, found, line.length);
        return new Prepared(head, found + wanted.length, size);
    }

    private static String document(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + Markup.escape(title)
                + "</title></head>\n<body>\n<h1>" + Markup.escape(title) + "</h1>\n" + body + "</body></html>\n";
    }

    private String offer(String href) {
        Path d = script();
        if (d == null) {
            warnMissing();
            return "<p>The temporary Host's download is not available on this server: please tell your supporter.</p>\n";
        }
        long mb = 1;
        try {
            mb = Math.max(1, (Files.size(d) + 999_999) / 1_000_000);
        } catch (IOException e) {
            // the size is only shown
        }
        return "<p><a href=\"" + Markup.escape(href) + "\" download=\"" + FILE + "\">Download the temporary Host for Linux"
                + " (x86-64, " + mb + " MB)</a></p>\n"
                + "<p>Then open a terminal and run <code>sh ~/Downloads/" + FILE + "</code> (or where your browser"
                + " saved it): nothing to install, nothing left behind.</p>\n";
    }

    /** One request per connection: answered, then closed. */
    private final class Answer extends SimpleChannelInboundHandler<HttpObject> {
        private volatile boolean answered;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest request) || answered) {
                return; // a body, or a request after the first: the connection closes after the answer
            }
            answered = true;
            if (request.decoderResult().isFailure()) {
                Throwable why = request.decoderResult().cause();
                text(ctx, false, why instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                        : why instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST, "Bad request", "The request is not one this page answers.");
                return;
            }
            boolean head = request.method().equals(HttpMethod.HEAD);
            if (!head && !request.method().equals(HttpMethod.GET)) {
                HttpResponse r = answer(HttpResponseStatus.METHOD_NOT_ALLOWED, false, "Not allowed",
                        "<p>Only GET and HEAD.</p>\n");
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                send(ctx, r);
                return;
            }
            String uri = request.uri();
            int query = uri.indexOf('?');
            String path = query < 0 ? uri : uri.substring(0, query);
            try {
                route(ctx, head, path);
            } catch (SQLException | IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "WebConnect support page: answering " + path.length() + " characters of path failed", e);
                text(ctx, head, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Not available",
                        "The page is not available just now. Please try again in a minute.");
            }
        }

        private void route(ChannelHandlerContext ctx, boolean head, String path) throws SQLException, IOException {
            if (!path.startsWith("/")) {
                text(ctx, head, HttpResponseStatus.BAD_REQUEST, "Bad request", "The request is not one this page answers.");
                return;
            }
            if (path.equals("/")) {
                page(ctx, head, "Remote support", "<p>Your supporter gave you a code? Download the temporary Host,"
                        + " run it, type the code.</p>\n" + offer("/" + FILE));
                return;
            }
            if (path.equals("/" + FILE)) {
                download(ctx, head, null, null);
                return;
            }
            if (!path.startsWith("/s/")) {
                text(ctx, head, HttpResponseStatus.NOT_FOUND, "Not found", "There is no such page here.");
                return;
            }
            String rest = path.substring(3);
            boolean file = rest.endsWith("/" + FILE);
            String token = file ? rest.substring(0, rest.length() - FILE.length() - 1) : rest;
            SupportSessions.Waiting w = manager.support.waiting(token);
            if (w == null) {
                text(ctx, head, HttpResponseStatus.NOT_FOUND, NOT_VALID,
                        "Please ask your supporter for a new link or code.");
            } else if (file) {
                download(ctx, head, w, ctx.channel().remoteAddress());
            } else {
                long minutes = Math.max(1, (w.codeExpires() - System.currentTimeMillis() + 59_999) / 60_000);
                page(ctx, head, "Remote support", "<p><strong>" + Markup.escape(w.supporter()) + "</strong> (account "
                        + Markup.escape(w.account()) + ") will help you.</p>\n" + offer("/s/" + token + "/" + FILE)
                        + "<p>Your code is <strong>" + Markup.escape(Support.display(w.code())) + "</strong>, valid until "
                        + UNTIL.format(Instant.ofEpochMilli(w.codeExpires())) + " (" + minutes + " minute"
                        + (minutes == 1 ? "" : "s") + ").</p>\n");
            }
        }

        private void download(ChannelHandlerContext ctx, boolean head, SupportSessions.Waiting w,
                SocketAddress from) throws IOException {
            Path d = script();
            if (d == null) {
                warnMissing();
                text(ctx, head, HttpResponseStatus.NOT_FOUND, "Not available",
                        "The temporary Host's download is not available on this server: please tell your supporter.");
                return;
            }
            FileChannel file = FileChannel.open(d);
            boolean streaming = false;
            try {
                Prepared p;
                try {
                    p = prepare(file, preset(w == null ? null : w.code()));
                } catch (IOException | IllegalStateException e) {
                    if (warnedPreset.compareAndSet(false, true)) {
                        LOG.log(Level.WARNING, "WebConnect support page: not serving " + d + ": " + e.getMessage());
                    }
                    text(ctx, head, HttpResponseStatus.SERVICE_UNAVAILABLE, "Not available",
                            "The temporary Host's download is not available on this server: please tell your supporter.");
                    return;
                }
                warnedPreset.set(false);
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                headers(r.headers(), "application/octet-stream", p.length());
                r.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + FILE + "\"");
                if (head) {
                    ctx.write(r);
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ctx.write(r);
                ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(p.head())));
                streaming = true;
                ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(file, p.restOffset(), p.size() - p.restOffset(),
                        64 * 1024))).addListener(ChannelFutureListener.CLOSE);
                manager.audit.record(EventCodes.TANDEM_WEBCONNECT_SUPPORT_CHANGED, Severity.INFO,
                        from == null ? "" : from.toString(), w == null ? "" : w.account(), w == null
                                ? "the temporary Host was downloaded from the support page (no session)"
                                : "the temporary Host was downloaded from the link of the support session of "
                                        + w.supporter() + " (code ending " + w.code().substring(6) + ")");
            } finally {
                if (!streaming) {
                    file.close();
                }
            }
        }

        private void page(ChannelHandlerContext ctx, boolean head, String title, String body) {
            send(ctx, answer(HttpResponseStatus.OK, head, title, body));
        }

        private void text(ChannelHandlerContext ctx, boolean head, HttpResponseStatus status, String title, String line) {
            send(ctx, answer(status, head, title, "<p>" + Markup.escape(line) + "</p>\n"));
        }

        private void send(ChannelHandlerContext ctx, HttpResponse r) {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.DEBUG, () -> "WebConnect support page: " + cause);
            ctx.close();
        }
    }

    /** A page; to HEAD its headers only, Content-Length included. */
    private static FullHttpResponse answer(HttpResponseStatus status, boolean head, String title, String body) {
        byte[] html = document(title, body).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(html));
        headers(r.headers(), "text/html; charset=utf-8", html.length);
        return r;
    }

    /** The headers of every answer: nothing cached, the token never leaves in a Referer, nothing sniffed or framed. */
    private static void headers(HttpHeaders h, String type, long length) {
        h.set(HttpHeaderNames.CONTENT_TYPE, type);
        h.set(HttpHeaderNames.CONTENT_LENGTH, length);
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        h.set("Referrer-Policy", "no-referrer");
        h.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        h.set(HttpHeaderNames.CONNECTION, "close");
    }
}
