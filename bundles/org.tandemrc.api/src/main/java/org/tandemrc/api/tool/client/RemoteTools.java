package org.tandemrc.api.tool.client;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.tool.StreamKind;
import org.tandemrc.api.tool.ToolException;

/** Opens remote-management sessions on a Guest's connections. Registered by the tools session bundle. */
@ProviderType
public interface RemoteTools {

    /**
     * Opens a remote-management session on the connection.
     *
     * @throws GuestException       when the Host refuses (role lacks the privilege, consent)
     * @throws InterruptedException when the calling thread is interrupted
     */
    ToolSession open(HostConnection connection) throws GuestException, InterruptedException;

    /**
     * Opens a streaming operation (one whose {@link org.tandemrc.api.tool.Operation#stream()} is set) on a
     * channel of its own, without a {@link ToolSession}: a role may have a tool's privilege (a tunnel's,
     * a shell's) without remote management. The Host checks the tool's privilege, that the operation
     * streams as {@code kind}, and the arguments, as for {@link ToolSession#invoke}; the stream then runs
     * until either side ends it. Its channel's priority follows from {@code kind} (a terminal's keys
     * overtake a file transfer, a tunnel's bytes do not).
     *
     * @param kind     how the front end will show the output: the operation's own kind
     * @param listener gets the Host's output and, once, the end
     * @throws GuestException       when the Host refuses the stream's session (consent)
     * @throws ToolException        when the Host refuses the operation or it cannot start, with its sentence
     * @throws InterruptedException when the calling thread is interrupted
     */
    OpenStream stream(HostConnection connection, String toolId, String operationId, StreamKind kind,
            Map<String, String> arguments, StreamListener listener)
            throws GuestException, ToolException, InterruptedException;
}
