package org.tandemrc.comm.webconnect.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.tandemrc.api.comm.HostPort;
import org.tandemrc.webconnect.tls.Tls;

/**
 * How the device reaches managers and relays: plaintext TCP or TLS 1.3. An address says {@code tls:} or
 * {@code tcp:}; a bare manager address follows the profile's {@code tls} setting, a bare relay address
 * (as handed out by a manager) is plaintext. Trust: {@code trust-fingerprint} (SHA-256 pins, no host
 * name check), else {@code trust} (PEM certificates as anchors, host name checked), else the system trust
 * store (host name checked).
 */
final class Transport {

    static final Transport PLAIN = new Transport(false, null, List.of());

    final boolean tlsDefault;
    private final String trust;
    private final List<String> pins;
    private volatile SslContext context;

    Transport(boolean tlsDefault, String trust, List<String> pins) {
        this.tlsDefault = tlsDefault;
        this.trust = trust;
        this.pins = pins;
    }

    /** Builds the TLS context now, so a broken trust setting is reported at once. */
    Transport checked() {
        if (tlsDefault || trust != null || !pins.isEmpty()) {
            try {
                context();
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return this;
    }

    private SslContext context() throws IOException {
        SslContext c = context;
        if (c == null) {
            try {
                c = Tls.client(trust, pins);
            } catch (GeneralSecurityException | IOException e) {
                throw new IOException("cannot set up TLS trust" + (trust == null ? "" : " from " + trust) + ": "
                        + e.getMessage(), e);
            }
            context = c;
        }
        return c;
    }

    /** Adds TLS in front of a fresh client channel when {@code address} asks for it. */
    void install(Channel ch, Tls.Address address, HostPort hp) throws IOException {
        if (address.tls()) {
            ch.pipeline().addFirst("tls", Tls.clientHandler(context(), ch.alloc(), hp.host(), hp.port(), pins.isEmpty()));
        }
    }

    /** The handshake's outcome; plaintext channels count as done. */
    static io.netty.util.concurrent.Future<Channel> handshake(Channel ch) {
        SslHandler h = ch.pipeline().get(SslHandler.class);
        return h == null ? ch.eventLoop().newSucceededFuture(ch) : h.handshakeFuture();
    }
}
