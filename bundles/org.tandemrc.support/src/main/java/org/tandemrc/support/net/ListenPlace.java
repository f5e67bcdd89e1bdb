package org.tandemrc.support.net;

import org.jspecify.annotations.Nullable;
import java.util.Map;
import java.util.TreeMap;

import org.tandemrc.api.comm.CommunicationProfile;

/** A place to listen as {@code --listen} options and {@code listen} settings write it. */
public final class ListenPlace {

    private ListenPlace() {
    }

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
}
