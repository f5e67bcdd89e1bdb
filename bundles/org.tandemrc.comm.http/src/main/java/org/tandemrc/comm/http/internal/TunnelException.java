package org.tandemrc.comm.http.internal;

import java.io.IOException;

/** Why one attempt to open a tunnel failed, sorted so that the connecting side can decide to fall back. */
final class TunnelException extends IOException {

    private static final long serialVersionUID = 1L;

    enum Kind {
        /** Nothing answered at the address (or at the proxy). */
        UNREACHABLE,
        /** The proxy wants credentials, or refused those given: no other mode will do better. */
        PROXY_AUTH,
        /** The proxy refused to CONNECT: plain forward-proxy requests may still work. */
        CONNECT_REFUSED,
        /** The peer or the path refused or lost the WebSocket upgrade: streaming requests may still work. */
        UPGRADE_REFUSED,
        /** Anything else. */
        OTHER
    }

    final Kind kind;

    TunnelException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    TunnelException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }
}
