package org.tandemrc.launcher;

/** The texts of {@code --help}, one per command. */
final class Help {

    private Help() {
    }

    static final String MAIN = """
            Usage: tandem COMMAND [OPTIONS]

            Tandem: open, modular remote control and remote support on OSGi.

            Commands:
              start     start an all-in-one node: a Host for this computer and the browser
                        console, and print the console's address (the quickest first look)
              console   start a Guest node that serves the browser console
              host      start a Host node in the foreground (listens for Guests)
              gateway   start a Gateway node: routes Guests' links to Hosts on other networks
              guest     connect to a Host: check access, send a message, chat, files, tools
              admin     drive a running node: status, stop, bundles, features
              webconnect  run a WebConnect Connection Manager or relay (Connection Server)
              version   print the version

            Options for every command:
              --home DIR   the node's home folder: configuration (etc/), plugins (deploy/),
                           data and log (data/), admin socket (run/). Default: $TANDEM_HOME,
                           else ~/.tandem. Give each node on a machine its own home.
              -h, --help   describe a command, e.g. 'tandem admin --help'

            Exit status: 0 success, 1 failure, 2 wrong usage.
            """;

    static final String START = """
            Usage: tandem start [--home DIR] [--http [ADDRESS:]PORT] [--listen DEVICE:ADDRESS:PORT]

            Starts an all-in-one node in the foreground: a Host that shares this computer (its X
            display when DISPLAY is set) on loopback only, and the browser console that connects
            to it. It prints the console's address and, on first start, a one-time setup link:
            open it to choose the console password (there is no default password). In the
            console, Quick Connect offers "This computer".

            The Host logs Guests on with a random password kept in data/console/local-host-password;
            the console uses it for "This computer". Add other Hosts in the console's phonebook.

            Options:
              --home DIR              the node's home folder (default $TANDEM_HOME, else ~/.tandem)
              --http [ADDRESS:]PORT   where the console listens (default 127.0.0.1:6580)
              --listen DEV:ADDR:PORT  where the Host listens (default tcp:127.0.0.1:6502)
            """;

    static final String CONSOLE = """
            Usage: tandem console [--home DIR] [--http [ADDRESS:]PORT]

            Starts a Guest node in the foreground that serves the browser console: Quick Connect,
            the phonebook (etc. in data/phonebook), history, connections, the remote screen, the
            file manager, chat and the remote management tools of each Host.

            The console listens on loopback only unless --http names another address. It has its
            own password; on first start the node prints a one-time setup link to choose it. To
            set a new one, stop the node, delete data/console/login and start it again. Logins end
            after 30 minutes without use and after 12 hours (session.idle.minutes,
            session.max.hours in etc/org.tandemrc.webconsole.cfg); requests from other sites and
            from host names other than 127.0.0.1 and localhost (allowed.hosts) are refused.

            With etc/org.tandemrc.guest.helpdesk.cfg (services = Support, listen = tcp:0.0.0.0:6503)
            the node also offers help services: Hosts send help requests there ('tandem admin help
            request' on the Host), and the console's Help Request tab lists them to take or decline.

            Options:
              --home DIR              the node's home folder (default $TANDEM_HOME, else ~/.tandem)
              --http [ADDRESS:]PORT   where the console listens (default 127.0.0.1:6580)
            """;

    static final String HOST = """
            Usage: tandem host [--home DIR] [--password-file FILE] [--listen DEVICE:ADDRESS:PORT]

            Starts a Host node in the foreground and prints where it listens and where its log is.
            On first start the home folder gets the default configuration:
              etc/node.properties                  the features to install besides kernel and host
              etc/org.tandemrc.profile-default.cfg the default profile: tcp, all addresses, port 6502
            Edit a profile file, or add org.tandemrc.profile-NAME.cfg, and the node follows at once.
            Plugin bundles copied into deploy/ are started within seconds; replacing a jar updates
            it, removing it uninstalls it.

            Exits with status 1 when no profile can listen (e.g. its port is in use) or when a
            node already runs with the same home. Stop it with Ctrl+C or 'tandem admin stop'.

            Options:
              --home DIR            the node's home folder (default $TANDEM_HOME, else ~/.tandem)
              --password-file FILE  set the password all Guests log on with (shared-password
                                    access) from the first line of FILE; only a verifier is kept,
                                    in etc/guest-passwords
              --listen DEV:ADDR:PORT listen there instead of the configured profiles,
                                    e.g. tcp:127.0.0.1:6502
            """;

    static final String GATEWAY = """
            Usage: tandem gateway [--home DIR] [--listen DEVICE:ADDRESS:PORT]

            Starts a Gateway node in the foreground. Guests connect to it with the gateway device,
            log on with a Gateway user (SRP: the password never crosses the network) and name a
            device group and a Host address; the Gateway opens the link to the Host with the group's
            profiles and forwards the session, which stays encrypted end to end between Guest and Host.
              etc/org.tandemrc.profile-NAME.cfg        enabled profiles: where Guests reach the Gateway;
                                                       outgoing profiles: set enabled = false
              etc/org.tandemrc.gateway.group-NAME.cfg  a device group: profiles = out1, out2
              etc/org.tandemrc.gateway.cfg             max-password-attempts, lockout-minutes,
                                                       logon-timeout, idle-timeout, name, logon.*
                                                       (limits per address and user)
            Users: tandem admin gateway user add NAME --password-file FILE --groups G1,G2
                       --allow 10.0.0.*  (see 'tandem admin gateway help')

            Options:
              --home DIR              the node's home folder (default $TANDEM_HOME, else ~/.tandem)
              --listen DEV:ADDR:PORT  listen there instead of the enabled profiles,
                                      e.g. tcp:0.0.0.0:6502
            """;

    static final String GUEST = """
            Usage: tandem guest COMMAND ADDRESS [OPTIONS]

            Connects to a Host. ADDRESS is [DEVICE:]HOST[:PORT], e.g. tcp:127.0.0.1:6502 or
            myhost (tcp, port 6502); udp:H::NAME and udp:U::USER find a Host on the network by its
            name or its logged-on user, DNS::NAME resolves by DNS only, terminal-server:USER is the
            Host of that user's session on this machine, http:HOST:PORT goes through HTTP,
            gateway:TARGET through a Gateway (the gateway profile names it, the device group and
            the Gateway logon; TARGET is the Host's address in that group's device syntax),
            webconnect:NAME (or ticket:CODE) meets a Host registered with WebConnect. The
            Host's identity key is pinned in etc/known-hosts of the home folder on first contact;
            a changed key is refused unless --accept-new-key.

            Commands:
              browse [--timeout S]   list the Hosts on the network that answer (udp: the local
                                     segments and the profile's broadcast-list), default 3 s
              connect ADDRESS        log on and print the Host's name, fingerprint, role and
                                     privileges
              message ADDRESS TEXT   send a one-way message to the person at the Host
              chat ADDRESS           chat with the person at the Host (type /end to finish)
              screenshot ADDRESS --out FILE.png [--display ID]
                                     save the Host's screen (or one monitor), losslessly, as PNG
              type ADDRESS TEXT      type TEXT on the Host's keyboard (any characters)
              keys ADDRESS COMBO     press a key combination, e.g. ctrl+alt+del, alt+tab, ctrl+esc,
                                     print
              watch ADDRESS [SECONDS] [--display ID] [--quality Q] [--colors C]
                                     receive the live screen for SECONDS (default 10) and print
                                     the displays, frames and frames per second; Q is lossless
                                     (default), balanced (JPEG 80 for photos) or low (JPEG 50);
                                     C is true (default), 256, 16 or 2
              latency ADDRESS [N]    press 'x' N times (default 30) into the Host's focused window
                                     and print keystroke-to-pixels times (median, p95)
              clipboard ADDRESS get  print the text on the Host's clipboard
              clipboard ADDRESS set TEXT
                                     put TEXT on the Host's clipboard

            File transfer (PLACE is a local path or ADDRESS:/SHARE/PATH on the Host):
              ls ADDRESS:/PATH       list a Host folder (ADDRESS:/ lists its shared folders)
              copy SRC DST           copy a file or folder; into DST when it is a folder
              move SRC DST           copy, then delete each source that arrived
              sync SRC DST           make two folders agree: the newer file wins, both ways
              clone SRC DST          make folder DST equal to SRC, deleting what SRC lacks
            Transfers send only the changed blocks of a file the other side has (rsync-style), resume
            an interrupted file where it stopped, and replace a file only once its SHA-256 matches.
              --overwrite RULE       always, newer (default) or never, for files that exist
              --no-subfolders        only the files of the top folder
              --skip-read-only       leave read-only destination files alone
              --skip-hidden          leave hidden files out
              --only-existing        sync: only files both sides have
              --one-way              sync: only from SRC to DST
              --on-error WHAT        next (default), retry, or stop
              --retries N            attempts after the first, with --on-error retry (default 3)
              --no-delta             always send whole files
              --confirm WHAT         ask on the terminal before changing the destination: replace
                                     (any overwrite or delete), read-only, hidden, folders (deleting
                                     a non-empty one), comma-separated, or all; answer yes, no, all
                                     like it, or cancel
              --log FILE             append each file's outcome to FILE

            Remote management (the Host's tools, as the Guest's role allows):
              tools ADDRESS          list the tools by section, their operations and parameters
              tool ADDRESS TOOL OPERATION [NAME=VALUE ...]
                                     run an operation, e.g. 'tool ADDRESS processes list' or
                                     'tool ADDRESS processes end pid=4242 force=true'; prints a
                                     table as columns, a form as 'label: value' lines; exits with
                                     status 1 and the Host's reason when it is refused or fails

            Options:
              --guest-id ID          log on with an individual Guest ID (default: shared password)
              --password-file FILE   read the password from the first line of FILE
              --password-stdin       read the password from the first line of standard input
                                     (otherwise it is asked for on the terminal)
              --accept-new-key       accept and pin a Host key that differs from the pinned one
              --profile NAME         connect with the communication profile NAME of etc/ (its
                                     device, proxy, timeouts...); by default the enabled profile
                                     of the address's device, first by name
              --home DIR             where known-hosts and the log are kept
            """;

    static final String ADMIN = """
            Usage: tandem admin [--home DIR] COMMAND

            Drives the node running with the same home, through its admin socket run/admin.sock
            (only the node's owner can use it).

            Commands:
              status                         role, uptime, features, where it listens
              stop [--maintenance-password-file F]
                                             stop the node (the Host asks for its maintenance
                                             password when one is set)
              bundle list                    every bundle: id, state, name, version, where it came from
              bundle install JAR [--no-start] install (and start) a bundle from a jar file
              bundle update ID|NAME [JAR]    update a bundle in place, from JAR or from where it came
                                             from; only it and the bundles wired to it are refreshed
              bundle uninstall ID|NAME       uninstall a bundle installed with 'bundle install'
              bundle start|stop ID|NAME      start or stop a bundle
              profiles                       every communication profile: device, enabled, where it
                                             listens or why not, settings (secrets masked)
              feature list                   the distribution's features and which are installed
              feature install NAME...        install features (saved in etc/node.properties)
              feature uninstall NAME...      uninstall features and the bundles only they need
              gateway show|help|user ...     on a Gateway node: its device groups, users and routes;
                                             add or remove Gateway users
              help request|status|cancel     on a Host: ask a help provider's Guest for help, see or
                                             cancel the request ('tandem admin help --help')
              helpdesk [show]|decline ID     on a Guest with help services: where Hosts send help
                                             requests, the pending ones; turn one down

            Bundles of a feature are managed through the feature; bundles from deploy/ through
            their files.
            """;

    static final String WEBCONNECT = """
            Usage: tandem webconnect manager [--home DIR] [--listen ADDRESS:PORT] [--relay-listen ADDRESS:PORT] [--no-relay]
                                            [--http-listen ADDRESS:PORT] [--relay-http-listen ADDRESS:PORT]
                   tandem webconnect relay [--home DIR] [--listen ADDRESS:PORT] [--http-listen ADDRESS:PORT]

            WebConnect lets Hosts and Guests both dial out: a Host keeps a control connection to a
            Connection Manager under its name; a Guest asks the manager for it and both meet on a
            relay (Connection Server) the manager chooses, which forwards their end-to-end encrypted
            bytes. Links survive the death of their relay.

            manager   the Connection Manager (default 127.0.0.1:6590) and, unless --no-relay, a relay
                      (default 127.0.0.1:6591) in the same node, sharing the embedded H2 database in
                      data/. Several managers and relays share one PostgreSQL database when
                      etc/org.tandemrc.webconnect.manager.cfg and ...relay.cfg set
                      database.url=jdbc:postgresql://... (and database.user, database.password).
            relay     a relay alone; set database.url in etc/org.tandemrc.webconnect.relay.cfg to the
                      deployment's database.
            --http-listen, --relay-http-listen
                      also accept Hosts and Guests through the HTTP tunnel (the http device, installed
                      for the run) on ADDRESS:PORT, for those whose network lets only web traffic out
                      (their profiles set fallback=http:HOST:PORT); same as http.listen in the cfg.

            Accounts (on a running manager; passwords come from files):
              tandem admin webconnect account add NAME --password-file F [--max-connections N]
              tandem admin webconnect account list
              tandem admin webconnect account remove NAME
              tandem admin webconnect status     managers, relays (sessions, caps), Hosts

            Host and Guest use the webconnect device with a profile: manager=HOST:PORT[,HOST:PORT],
            account=NAME, password-file=F, host-name=NAME (Host); Guests connect to NAME,
            NAME@MANAGER or ticket:CODE.
            """;

    static final String VERSION = """
            Usage: tandem version

            Prints the version of this distribution.
            """;
}
