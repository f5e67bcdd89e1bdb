package org.tandemrc.webconnect.tunnel;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.CommunicationProfile;

/**
 * The {@code http} device a Connection Manager's or relay's DS component needs for its HTTP tunnel
 * ({@code http.listen}), held for a dynamic, optional, greedy reference: when the device comes, goes or
 * is updated in place, the server restarts only if its running configuration asks for a tunnel, so one
 * without {@code http.listen} keeps its connections. Callers synchronize: the component's bind, unbind,
 * activate and deactivate methods hold its lock, and {@code restart} runs under it.
 */
public final class TunnelDevice {

    private static final Logger LOG = System.getLogger("org.tandemrc.webconnect.protocol");

    private final String server;
    private final String configFile;
    private final Runnable restart;
    private CommunicationDevice device;
    private String listen = "";
    private boolean running;

    /**
     * @param server     what restarts, for messages: {@code manager} or {@code relay}
     * @param configFile where {@code http.listen} is set, for messages
     * @param restart    stops and starts the server again
     */
    public TunnelDevice(String server, String configFile, Runnable restart) {
        this.server = server;
        this.configFile = configFile;
        this.restart = restart;
    }

    /** The reference's bind method. */
    public void bind(CommunicationDevice d) {
        device = d;
        changed();
    }

    /** The reference's unbind method. */
    public void unbind(CommunicationDevice d) {
        if (device == d) {
            device = null;
            changed();
        }
    }

    private void changed() {
        if (running && !listen.isEmpty()) {
            LOG.log(Level.INFO, "the http communication device " + (device == null ? "went away" : "is available")
                    + ": restarting the WebConnect " + server + " for its HTTP tunnel");
            restart.run();
        }
    }

    /**
     * The server starts with {@code httpListen} (empty: no tunnel). Returns null when it can, else why it
     * waits (the tunnel's device is not there yet, e.g. while the node starts); it starts when it comes.
     */
    public String starting(String httpListen) {
        listen = httpListen;
        running = true;
        return !listen.isEmpty() && device == null ? "http.listen=" + listen + " (" + configFile + ") waits for the"
                + " http communication device (feature comm-http, bundle org.tandemrc.comm.http)" : null;
    }

    /** The server stopped for good (the component is deactivated): device changes no longer restart it. */
    public void stopped() {
        running = false;
    }

    /** The device for {@code http.listen}; fails naming the setting when it is not running. */
    public CommunicationDevice require() {
        if (device == null) {
            throw new IllegalStateException("http.listen=" + listen + " (" + configFile + ") needs the http communication"
                    + " device (feature comm-http, bundle org.tandemrc.comm.http), which is not running");
        }
        return device;
    }

    /** The http device's listening profile {@code name} on {@code hostPort} ({@code {host, port}}). */
    public static CommunicationProfile profile(String name, String[] hostPort) {
        return new CommunicationProfile(name, "http", Map.of("bind", hostPort[0], "port", hostPort[1]));
    }
}
