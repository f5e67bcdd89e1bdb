package org.tandemrc.auth.ldap.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The socket factory JNDI instantiates by class name for {@code ldaps://} ({@code java.naming.ldap.factory.socket}):
 * it can only reach the configured CA through the thread that opens the context, which sets it in {@link #USE}.
 * Every socket checks the directory's name against its certificate.
 */
public final class TrustedSocketFactory extends SocketFactory {

    static final ThreadLocal<SSLSocketFactory> USE = new ThreadLocal<>();

    private final SSLSocketFactory tls;

    private TrustedSocketFactory(SSLSocketFactory tls) {
        this.tls = tls;
    }

    /** Called by JNDI on the thread that opens the context. */
    public static SocketFactory getDefault() {
        SSLSocketFactory f = USE.get();
        if (f == null) {
            throw new IllegalStateException("no TLS settings for this thread's directory connection");
        }
        return new TrustedSocketFactory(f);
    }

    private static Socket checked(Socket s) {
        SSLSocket ssl = (SSLSocket) s;
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("LDAPS");
        ssl.setSSLParameters(p);
        return ssl;
    }

    @Override
    public Socket createSocket() throws IOException {
        return checked(tls.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return checked(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return checked(tls.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return checked(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return checked(tls.createSocket(address, port, localAddress, localPort));
    }
}
