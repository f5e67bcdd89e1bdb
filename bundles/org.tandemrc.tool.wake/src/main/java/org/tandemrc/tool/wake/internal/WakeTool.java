package org.tandemrc.tool.wake.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.net.WakeOnLan;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * Wake-on-LAN through this Host: routers do not forward the magic packet, so a Guest on another network
 * asks a Host on the sleeping machine's subnet to broadcast it there. Without a broadcast address the
 * packet goes out on every IPv4 subnet of the Host.
 */
@Component(service = RemoteTool.class)
@TandemToolId(WakeTool.ID)
public class WakeTool extends OperationTool {

    static final String ID = "wake";

    /** Sending acts on the Host's network for the Guest: confirmed in the console and audited like a change. */
    static final Operation SEND = new Operation("send", "Wake a machine", List.of(
            Field.of("mac", "MAC address", FieldType.TEXT, true),
            Field.of("broadcast", "Broadcast address (default: every subnet of this Host)", FieldType.TEXT, false),
            Field.of("port", "UDP port (default 9)", FieldType.INTEGER, false)), true);

    public WakeTool() {
        super(ID, "Wake-on-LAN", "Network");
        operation(SEND, this::send);
    }

    private Result send(Map<String, String> arguments) throws ToolException {
        byte[] mac;
        List<InetAddress> to;
        int port;
        try {
            mac = WakeOnLan.mac(arguments.get("mac"));
            String broadcast = arguments.getOrDefault("broadcast", "").trim();
            to = broadcast.isEmpty() ? WakeOnLan.localBroadcasts() : List.of(WakeOnLan.ipv4(broadcast));
            String p = arguments.getOrDefault("port", "").trim();
            port = p.isEmpty() ? WakeOnLan.PORT : Integer.parseInt(p);
        } catch (IllegalArgumentException e) {
            throw new ToolException(e.getMessage());
        } catch (IOException e) {
            throw new ToolException("this Host cannot list its network interfaces: " + e.getMessage());
        }
        if (port < 1 || port > 65535) {
            throw new ToolException("the port is 1..65535, not " + port);
        }
        if (to.isEmpty()) {
            throw new ToolException("this Host has no IPv4 network with a broadcast address to send the packet on");
        }
        List<String> sent = new ArrayList<>();
        for (InetAddress address : to) {
            try {
                sent.add(WakeOnLan.send(mac, address, port));
            } catch (IOException e) {
                throw new ToolException("the packet could not be sent to " + address.getHostAddress() + ": "
                        + e.getMessage());
            }
        }
        return new Result.Message(String.join("; ", sent));
    }
}
