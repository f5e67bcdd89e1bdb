package org.tandemrc.comm.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.tandemrc.api.testing.DeviceConformance;
import org.tandemrc.api.testing.DeviceConformance.RawPeer;

/** Plain sockets speaking just enough HTTP by hand to reach the device's framing, for hostile-input tests. */
final class RawHttp {

    private RawHttp() {
    }

    static Socket open(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Reads a response head up to the empty line. */
    static String head(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the response head: " + out);
            }
            out.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads everything until the peer closes (or the timeout). */
    static String rest(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** A raw peer after a successful WebSocket handshake: its bytes are read as WebSocket frames. */
    static RawPeer websocket(InetSocketAddress address, String path) throws IOException {
        Socket socket = open(address);
        send(socket, "GET " + path + " HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        String head = head(socket);
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("no WebSocket handshake: " + head);
        }
        return DeviceConformance.socketPeer(socket);
    }

    /**
     * A raw peer after opening the download half of a streaming link and the head of the upload half: its
     * bytes are read as the chunked body of the upload.
     */
    static RawPeer streaming(InetSocketAddress address, String path) throws IOException {
        Socket down = open(address);
        send(down, "GET " + path + "?tunnel=down HTTP/1.1\r\nHost: test\r\n\r\n");
        String head = head(down);
        if (!head.startsWith("HTTP/1.1 200")) {
            down.close();
            throw new IOException("no download stream: " + head);
        }
        String token = token(down);
        Socket up = open(address);
        send(up, "POST " + path + "?tunnel=up&session=" + token + " HTTP/1.1\r\nHost: test\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\n\r\n");
        return DeviceConformance.socketPeer(up, down);
    }

    /** The session token: the first chunk of the download holds its control frame. */
    static String token(Socket down) throws IOException {
        InputStream in = down.getInputStream();
        StringBuilder size = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            size.append((char) b);
        }
        in.read();
        byte[] chunk = in.readNBytes(Integer.parseInt(size.toString().trim(), 16));
        in.readNBytes(2);
        // 4-byte header with the high bit set, 'T', then the token.
        if ((chunk[0] & 0x80) == 0 || chunk[4] != 'T') {
            throw new IOException("the download did not start with a token frame");
        }
        return new String(chunk, 5, chunk.length - 5, StandardCharsets.US_ASCII);
    }

    /** One chunk of a chunked body around {@code bytes}. */
    static byte[] chunk(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
