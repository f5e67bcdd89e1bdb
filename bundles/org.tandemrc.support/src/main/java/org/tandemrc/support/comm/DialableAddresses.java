package org.tandemrc.support.comm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Host's listening addresses as a supporter dials them (in an invitation, at the Security Server's Name
 * Server): a listener on every interface
 * ({@code tcp:0.0.0.0:6502}, {@code tcp:[::]:6502}) by this computer's own IPv4 addresses (loopback only
 * when it has no other: a supporter's own loopback would reach the supporter's computer), a WebConnect
 * Host by its name ({@code webconnect:NAME}, reached through the supporter's own WebConnect profile).
 */
public final class DialableAddresses {

    private DialableAddresses() {
    }

    /** @param listening endpoint addresses, {@code DEVICE:ADDRESS} */
    public static List<String> of(List<String> listening) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : listening) {
            int colon = a.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String device = a.substring(0, colon);
            String rest = a.substring(colon + 1);
            if (device.equals("webconnect")) {
                int at = rest.indexOf('@');
                out.add("webconnect:" + (at < 0 ? rest : rest.substring(0, at)));
            } else if (rest.startsWith("0.0.0.0:") || rest.startsWith("[::]:")) {
                String port = rest.substring(rest.lastIndexOf(':') + 1);
                for (String ip : ownAddresses()) {
                    out.add(device + ":" + ip + ":" + port);
                }
            } else {
                out.add(a);
            }
        }
        return new ArrayList<>(out);
    }

    /** This computer's IPv4 addresses, those of interfaces that are up; loopback when there is no other. */
    private static List<String> ownAddresses() {
        List<String> own = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!n.isUp() || n.isLoopback()) {
                    continue;
                }
                for (InetAddress ia : Collections.list(n.getInetAddresses())) {
                    if (ia instanceof Inet4Address && !ia.isLinkLocalAddress()) {
                        own.add(ia.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to list: loopback below
        }
        if (own.isEmpty()) {
            own.add("127.0.0.1");
        }
        return own;
    }
}
