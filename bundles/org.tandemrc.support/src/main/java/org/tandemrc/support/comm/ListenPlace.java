package org.tandemrc.support.comm;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.function.BiFunction;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;

/**
 * Where a profile listens ({@code bind} and {@code port}), and the one wording of why it cannot:
 * {@code cannot listen on tcp:*:6502: the address is already in use or not available here}. The profile's
 * name is not in it: the role that listens puts it in front ({@code profile 'office': cannot listen on ...}).
 *
 * @param bind  the address asked for; empty for every address
 * @param port  the port asked for; 0 for any free one
 * @param shown how messages name the place, e.g. {@code tcp:*:6502}
 */
public record ListenPlace(String bind, int port, String shown) {

    /**
     * The place {@code profile} asks for.
     *
     * @param port the device's port setting
     * @throws IllegalArgumentException when the port is out of bounds
     */
    public static ListenPlace of(String type, CommunicationProfile profile, DeviceSetting port) {
        String bind = profile.text(CommonSettings.BIND.name(), "");
        int p = profile.integer(port);
        return new ListenPlace(bind, p, type + ":" + (bind.isEmpty() ? "*" : bind) + ":" + p);
    }

    /**
     * The socket address to bind.
     *
     * @param host the host part of {@code bind} in the device's address syntax (e.g. without IPv6 brackets)
     * @throws IOException when {@code bind} names no address known here
     */
    public InetSocketAddress address(BiFunction<String, Integer, String> host) throws IOException {
        if (bind.isEmpty()) {
            return new InetSocketAddress(port);
        }
        InetSocketAddress address = new InetSocketAddress(host.apply(bind, port), port);
        if (address.isUnresolved()) {
            throw failure("unknown address '" + bind + "'", null);
        }
        return address;
    }

    /** Why binding failed, in the operator's words. */
    public IOException failed(Throwable cause) {
        return failure(cause instanceof BindException ? "the address is already in use or not available here"
                : String.valueOf(cause.getMessage()), cause);
    }

    private IOException failure(String why, Throwable cause) {
        return new IOException("cannot listen on " + shown + ": " + why, cause);
    }
}
