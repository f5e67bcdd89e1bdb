package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.RemoteFiles;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.session.TandemSessionType;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;

/**
 * The file-transfer session type. On a Host it serves the folders configuration
 * {@code org.tandemrc.files} shares ({@code shares = NAME=PATH, NAME=PATH}; none by default, so a Host
 * shares nothing until its owner says what); on a Guest it is used through {@link RemoteFiles}. Files
 * are reached through java.nio's {@link java.nio.file.SecureDirectoryStream} ({@link SafeFolder}),
 * not Commons VFS, which opens files by path and so cannot be confined at the moment of use. File
 * data rides the connection's bulk priority, below screen and input.
 */
@Component(service = {SessionType.class, RemoteFiles.class}, configurationPid = FileTransfer.PID)
@TandemSessionType(FileTransfer.ID)
@Designate(ocd = FileTransfer.Config.class)
public class FileTransfer implements SessionType, RemoteFiles {

    static final String ID = "file-transfer";
    static final String PID = "org.tandemrc.files";
    private static final System.Logger LOG = System.getLogger("org.tandemrc.session.files");
    private static final SettingsCheck CHECK = new SettingsCheck(PID);

    @ObjectClassDefinition(name = "Tandem file transfer",
            description = "The folders this Host shares with Guests whose role has TRANSFER_FILES.")
    @interface Config {
        @AttributeDefinition(name = "Shares", description = "NAME=PATH pairs, comma-separated: each NAME is what "
                + "Guests see (no / or \\, not . or ..), each PATH an absolute folder. None: the Host shares nothing.")
        String[] shares() default {};
    }

    private volatile Map<String, Path> shares = Map.of();
    private volatile String sharesProblem;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventSink events;

    @Activate
    void activate(Map<String, Object> config) {
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        try {
            shares = parseShares(TypedConfig.of(Config.class, PID, config).shares());
            sharesProblem = null;
            if (!shares.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "file transfer shares " + shares);
            }
        } catch (IllegalArgumentException e) {
            shares = Map.of();
            sharesProblem = e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "file transfer shares nothing: " + e.getMessage());
        }
    }

    /** {@code NAME=PATH} pairs; names must be plain, paths absolute. */
    static Map<String, Path> parseShares(String[] items) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String item : items) {
            String t = item.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw CHECK.invalid("shares", t, "is not NAME=PATH");
            }
            String name = t.substring(0, eq).trim();
            String path = t.substring(eq + 1).trim();
            if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
                throw CHECK.invalid("shares", t, "names a share with / or \\ or as . or ..");
            }
            if (!Path.of(path).isAbsolute()) {
                throw CHECK.invalid("shares", t, "needs an absolute path");
            }
            out.put(name, Path.of(path));
        }
        return out;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "File Transfer";
    }

    @Override
    public Set<Privilege> requiredPrivileges() {
        return EnumSet.of(Privilege.TRANSFER_FILES);
    }

    @Override
    public SessionHandler open(SessionContext context) {
        if (context.side() == Side.GUEST) {
            context.channel().close("file transfer on a Guest is opened through the RemoteFiles service");
            return ignoring();
        }
        Map<String, Path> s = shares;
        if (s.isEmpty()) {
            context.channel().close(sharesProblem != null ? "this Host's shares are misconfigured: " + sharesProblem
                    : "this Host shares no folders (its owner sets shares = NAME=PATH in etc/" + PID + ".cfg)");
            return ignoring();
        }
        try {
            return new HostFiles(context, s, (guest, why) -> {
                EventSink sink = events;
                if (sink != null) {
                    sink.record(new AuditEvent(Instant.now(), EventCodes.TANDEM_PATH_REFUSED, Severity.SECURITY,
                            context.hostName(), context.peerAddress(), guest, why));
                }
            });
        } catch (IOException e) {
            context.channel().close("a shared folder is missing: " + e.getMessage());
            return ignoring();
        }
    }

    private static SessionHandler ignoring() {
        return new SessionHandler() {
            @Override
            public void received(java.nio.ByteBuffer message) {
                // the session is closing
            }

            @Override
            public void closed(String reason) {
                // nothing held
            }
        };
    }

    @Override
    public FileSession open(HostConnection connection) throws GuestException, InterruptedException {
        RemoteTree remote = new RemoteTree();
        SessionContext context = connection.open(ID, ChannelPriority.BULK, List.of(), c -> remote);
        remote.attach(context.channel());
        return new GuestFiles(remote);
    }
}
