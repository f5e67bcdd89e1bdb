package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import org.tandemrc.api.consent.ConsentKind;
import org.tandemrc.api.consent.ConsentPrompt;
import org.tandemrc.api.consent.ConsentRequest;
import org.tandemrc.api.consent.FileOffer;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.RemoteFiles;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.host.ConnectedGuest;
import org.tandemrc.api.host.ConnectedGuests;
import org.tandemrc.api.security.Role;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.ChannelPriority;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.Side;
import org.tandemrc.api.session.TandemSessionType;
import org.tandemrc.support.config.SettingsCheck;
import org.tandemrc.support.config.TypedConfig;
import org.tandemrc.support.event.EventRecorder;

/**
 * The file-transfer session type. On a Host it serves the folders configuration
 * {@code org.tandemrc.files} shares ({@code shares = NAME=PATH, NAME=PATH}; none by default, so a Host
 * shares nothing until its owner says what); on a Guest it is used through {@link RemoteFiles}. Files
 * are reached through java.nio's {@link java.nio.file.SecureDirectoryStream} ({@link SafeFolder}),
 * not Commons VFS, which opens files by path and so cannot be confined at the moment of use. File
 * data rides the connection's bulk priority, below screen and input. A Guest may also offer one file, on
 * a Host that shares nothing too: the person at the Host saves it where they choose ({@link ConsentPrompt#save})
 * or nothing is written.
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

        @AttributeDefinition(name = "Offer timeout", description = "Seconds the person at the Host has to save or "
                + "cancel a file a Guest offers; unanswered, it is refused.", min = "5", max = "3600")
        int offerSeconds() default 120;

        @AttributeDefinition(name = "Folder for offered files", description = "Where the person at the Host is "
                + "proposed to save a file a Guest offers (an absolute path); empty: their Downloads folder, or home.")
        String offerFolder() default "";
    }

    private volatile Map<String, Path> shares = Map.of();
    private volatile String sharesProblem;
    private volatile int offerSeconds = 120;
    private volatile Path offerFolder;

    /** The best prompt: the desktop's when it runs, else the terminal's. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConsentPrompt prompt;

    /** Who is connected with which role: the person at the Host is told the role of the Guest that offers. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConnectedGuests connected;

    /** Every sink: the event log, and the desktop that follows the Host's events, each get each event. */
    private final EventRecorder audit = new EventRecorder("org.tandemrc.host.audit");

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSink(EventSink sink) {
        audit.add(sink);
    }

    void unbindSink(EventSink sink) {
        audit.remove(sink);
    }

    @Activate
    void activate(Map<String, Object> config) {
        modified(config);
    }

    @Modified
    void modified(Map<String, Object> config) {
        Config typed = TypedConfig.of(Config.class, PID, config);
        offerSeconds = Math.max(5, Math.min(3600, typed.offerSeconds()));
        String folder = typed.offerFolder().strip();
        if (!folder.isEmpty() && !Path.of(folder).isAbsolute()) {
            offerFolder = null;
            LOG.log(System.Logger.Level.WARNING, "offered files are proposed in the Downloads folder: "
                    + CHECK.invalid("offerFolder", folder, "needs an absolute path").getMessage());
        } else {
            offerFolder = folder.isEmpty() ? null : Path.of(folder);
        }
        try {
            shares = parseShares(typed.shares());
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
        // A Host without shares still takes a file its person accepts; every other request is refused with this.
        String noShares = !s.isEmpty() ? null : sharesProblem != null ? "this Host's shares are misconfigured: "
                + sharesProblem : "this Host shares no folders (its owner sets shares = NAME=PATH in etc/" + PID + ".cfg)";
        try {
            return new HostFiles(context, s, (guest, why) -> audit(context, EventCodes.TANDEM_PATH_REFUSED,
                    Severity.SECURITY, why), new HostFiles.Offers() {
                        @Override
                        public Optional<Path> ask(String name, long size) throws InterruptedException {
                            return askToSave(context, name, size);
                        }

                        @Override
                        public void audit(String code, Severity severity, String detail) {
                            FileTransfer.this.audit(context, code, severity, detail);
                        }
                    }, noShares);
        } catch (IOException e) {
            context.channel().close("a shared folder is missing: " + e.getMessage());
            return ignoring();
        }
    }

    private void audit(SessionContext context, String code, Severity severity, String detail) {
        audit.node(context.hostName());
        audit.record(code, severity, context.peerAddress(), context.guestName(), detail);
    }

    /**
     * Asks the best prompt where to save an offered file, waiting at most its timeout (and a little for the
     * prompt to answer it): refused without a prompt, past the timeout, when larger than the free space of the
     * disk of the user's home folder, or when the prompt fails.
     */
    Optional<Path> askToSave(SessionContext context, String name, long size) throws InterruptedException {
        ConsentPrompt p = prompt;
        if (p == null) {
            LOG.log(System.Logger.Level.WARNING, "a file offered by " + RefusedPath.printable(context.guestName())
                    + " was refused: this Host has no way to ask its person");
            return Optional.empty();
        }
        Path proposed;
        try {
            Path folder = offerFolder();
            if (size > Files.getFileStore(folder).getUsableSpace()) {
                LOG.log(System.Logger.Level.WARNING, "a file of " + size + " bytes offered by "
                        + RefusedPath.printable(context.guestName()) + " was refused: more than " + folder + " has free");
                return Optional.empty();
            }
            proposed = untaken(folder, name);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "an offered file was refused: " + e.getMessage());
            return Optional.empty();
        }
        int seconds = offerSeconds;
        FileOffer offer = new FileOffer(new ConsentRequest(ConsentKind.FILE_PUSH, context.guestName(),
                name + " (" + size + " bytes)", Duration.ofSeconds(seconds), context.peerAddress(), role(context)), name,
                size,
                proposed);
        try {
            return p.save(offer).toCompletableFuture().get(seconds + 5L, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The role of the session's Guest, found by its name and address among the connected ones; null if unknown. */
    private Role role(SessionContext context) {
        ConnectedGuests c = connected;
        return c == null ? null : c.list().stream().filter(g -> g.name().equals(context.guestName())
                && g.address().equals(context.peerAddress())).map(ConnectedGuest::role).findFirst().orElse(null);
    }

    /** The configured folder for offered files, else the user's Downloads folder when there is one, else home. */
    private Path offerFolder() throws IOException {
        Path configured = offerFolder;
        if (configured != null) {
            if (!Files.isDirectory(configured)) {
                throw new IOException("the folder for offered files " + configured + " does not exist");
            }
            return configured;
        }
        Path home = Path.of(System.getProperty("user.home"));
        Path downloads = home.resolve("Downloads");
        return Files.isDirectory(downloads) ? downloads : home;
    }

    /** {@code name} in {@code folder}, or {@code stem (2).ext} and so on when something has that name. */
    static Path untaken(Path folder, String name) throws IOException {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; i <= 100; i++) {
            Path p = folder.resolve(i == 1 ? name : stem + " (" + i + ")" + ext);
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
        throw new IOException("100 files named like " + name + " are already in " + folder);
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
