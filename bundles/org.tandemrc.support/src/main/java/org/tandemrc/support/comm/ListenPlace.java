package org.tandemrc.support.comm;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.DeviceSetting;

/**
 * Where a profile listens ({@code bind} and {@code port}), the one syntax of a place to listen written out
 * ({@link #parse}: {@code --listen} options and {@code listen} settings), and the one wording of why it cannot:
 * {@code cannot listen on tcp:*:6502: the address is already in use or not available here}. The profile's
 * name is not in it: the role that listens puts it in front ({@code profile 'office': cannot listen on ...}).
 *
 * @param bind  the address asked for; empty for every address
 * @param port  the port asked for; 0 for any free one
 * @param shown how messages name the place, e.g. {@code tcp:*:6502}
 */
public record ListenPlace(String bind, int port, String shown) {

    /**
     * The profile of a place to listen written {@code DEVICE:ADDRESS[:PORT]} (e.g. {@code
     * tcp:0.0.0.0:6502}, {@code tcp:[::1]:6502}), as {@code --listen} options and {@code listen}
     * settings write it: {@code bind} and {@code port} settings of the device.
     *
     * @throws IllegalArgumentException when it names no device
     */
    public static CommunicationProfile parse(String name, @Nullable String place) {
        String text = place == null ? "" : place.trim();
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is no place to listen: write DEVICE:ADDRESS[:PORT],"
                    + " e.g. tcp:127.0.0.1:6502");
        }
        String device = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        int portAt = rest.lastIndexOf(':');
        Map<String, String> settings = new TreeMap<>();
        if (portAt > 0 && !rest.endsWith("]")) {
            String bind = rest.substring(0, portAt);
            settings.put("bind", bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind);
            settings.put("port", rest.substring(portAt + 1));
        } else {
            settings.put("bind", rest.startsWith("[") ? rest.substring(1, rest.length() - 1) : rest);
        }
        return new CommunicationProfile(name, device, settings);
    }

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
