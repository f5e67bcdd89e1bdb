package org.tandemrc.support.comm;

import org.tandemrc.api.comm.DeviceSetting;

/** The profile settings that mean the same on every device that reads them. */
public final class CommonSettings {

    /** Where to listen: one address, or every IPv4 and IPv6 address when empty. */
    public static final DeviceSetting BIND =
            DeviceSetting.text("bind", "", "address to listen on; empty for every address");
    /** The largest message a link carries. */
    public static final DeviceSetting MAX_MESSAGE =
            DeviceSetting.integer("max-message", 1 << 20, 1024, 64 << 20, "largest message in bytes");
    /** How long opening a link may take. */
    public static final DeviceSetting CONNECT_TIMEOUT =
            DeviceSetting.integer("connect-timeout", 10, 1, 600, "seconds an outgoing link may take to open");

    private CommonSettings() {
    }

    /** The port to listen on, {@code fallback} unless set; 0 picks a free one. */
    public static DeviceSetting port(int fallback) {
        return DeviceSetting.integer("port", fallback, 0, 65535, "port to listen on (0 picks a free one)");
    }
}
