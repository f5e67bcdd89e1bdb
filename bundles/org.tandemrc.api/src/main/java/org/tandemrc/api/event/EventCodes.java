package org.tandemrc.api.event;

import org.jspecify.annotations.Nullable;
import java.util.Map;

/**
 * Event codes of the reference log tables that the connection core records, in their compact form
 * (no padding). An {@code H} prefix marks a Host event, a {@code G} prefix a Guest event; codes without
 * either appear in both tables. The suffix {@code +} means started, {@code -} stopped, {@code !} failed or
 * refused. The reference's own log file pads every code to 10 characters before the suffix (e.g.
 * {@code "HSESRC   +"}); {@link #describe(String)} accepts that form too.
 */
public final class EventCodes {

    // Host: connection

    /** Host: the Host started (argument: none). */
    public static final String HOST_STARTED = "HCON+";
    /** Host: the Host stopped (argument: none). */
    public static final String HOST_STOPPED = "HCON-";

    // Host: session (argument: the Guest name)

    /** Host: a session with a Guest started. */
    public static final String HOST_SESSION_STARTED = "HSES+";
    /** Host: a session with a Guest stopped. */
    public static final String HOST_SESSION_STOPPED = "HSES-";
    /** Host: remote control started. */
    public static final String HOST_REMOTE_CONTROL_STARTED = "HSESRC+";
    /** Host: remote control stopped. */
    public static final String HOST_REMOTE_CONTROL_STOPPED = "HSESRC-";
    /** Host: chat started. */
    public static final String HOST_CHAT_STARTED = "HSESCHAT+";
    /** Host: chat stopped. */
    public static final String HOST_CHAT_STOPPED = "HSESCHAT-";

    // Host: action and security

    /** Host: a message was received (argument: the Guest name). */
    public static final String HOST_MESSAGE_RECEIVED = "HACTMSG";
    /** Host: a help request was sent (argument: the help service name and the problem description). */
    public static final String HOST_HELP_REQUEST_SENT = "HACTHLPRQ+";
    /** Host: a help request was canceled (argument: none; Tandem adds why as detail). */
    public static final String HOST_HELP_REQUEST_CANCELED = "HACTHLPRQ-";
    /** Host: a password was changed (shared or a Guest ID's). */
    public static final String HOST_PASSWORD_CHANGED = "HSECPW*";
    /** Host: the limit of illegal password attempts was reached (argument: none). */
    public static final String HOST_PASSWORD_LIMIT = "HSECPWLIM!";
    /** Host: a timeout limit was exceeded (argument: AC inactivity, AU authentication or CA confirm access). */
    public static final String HOST_TIMEOUT = "HSECTMOUT";

    // Both Host and Guest

    /** Host or Guest: the connection was lost (argument on a Guest: the Host name). */
    public static final String CONNECTION_LOST = "CONLOST";
    /** Host or Guest: a password was rejected (argument: the other side's name). */
    public static final String PASSWORD_REJECTED = "SECPW!";
    /** Host or Guest: confirm access was granted. */
    public static final String CONFIRM_ACCESS_GRANTED = "SECCA";
    /** Host or Guest: confirm access was denied. */
    public static final String CONFIRM_ACCESS_DENIED = "SECCA!";

    // Guest (argument: the Host name unless noted)

    /** Guest: the Guest called a Host. */
    /**
     * Tandem's own (not in the reference): a connection from an address outside the Host's allow list
     * was refused.
     */
    public static final String TANDEM_ADDRESS_REFUSED = "TSECADDR!";

    /**
     * Tandem's own (not in the reference): a session was refused because the Guest's role lacks a
     * privilege it needs.
     */
    public static final String TANDEM_PRIVILEGE_REFUSED = "TSECPRIV!";

    /**
     * Tandem's own (not in the reference): a Guest named a path outside the Host's shared folders
     * (through {@code ..}, an absolute path, a link leading out, a NUL or separator in a name).
     */
    public static final String TANDEM_PATH_REFUSED = "TSECPATH!";

    /**
     * Tandem's own (not in the reference): a Guest ran a remote-management operation that changes
     * the Host (argument: tool, operation and arguments; secrets left out).
     */
    public static final String TANDEM_TOOL_OPERATION = "TACTTOOL";

    /**
     * Tandem's own (not in the reference, which audits file transfer only as a session): a Guest offered a
     * file to the person at the Host (detail: the file's name as made safe, and its size).
     */
    public static final String TANDEM_FILE_OFFERED = "TACTFOFFR";
    /** Tandem's own: the person at the Host accepted an offered file (detail: where it is saved). */
    public static final String TANDEM_FILE_OFFER_ACCEPTED = "TSECFOFFR";
    /** Tandem's own: the person at the Host cancelled an offered file, or nobody answered in time. */
    public static final String TANDEM_FILE_OFFER_REFUSED = "TSECFOFFR!";
    /** Tandem's own: an accepted file arrived complete and verified and was saved (detail: where). */
    public static final String TANDEM_FILE_RECEIVED = "TACTFRECV";
    /** Tandem's own: an accepted file did not arrive whole; nothing of it was left (detail: why). */
    public static final String TANDEM_FILE_RECEIVE_FAILED = "TACTFRECV!";

    /** Host: a file transfer session started. */
    public static final String HOST_FILE_TRANSFER_STARTED = "HSESFXFER+";
    /** Host: a file transfer session stopped. */
    public static final String HOST_FILE_TRANSFER_STOPPED = "HSESFXFER-";

    public static final String GUEST_CALL = "GCONCALL";
    /** Guest: the Guest disconnected a Host. */
    public static final String GUEST_DISCONNECT = "GCONHNGUP";
    /** Guest: the user was authenticated (argument: none). */
    public static final String GUEST_USER_AUTHENTICATED = "GCONUSER";
    /** Guest: remote control started. */
    public static final String GUEST_REMOTE_CONTROL_STARTED = "GSESRC+";
    /** Guest: remote control stopped. */
    public static final String GUEST_REMOTE_CONTROL_STOPPED = "GSESRC-";
    /** Guest: chat started (argument: none). */
    public static final String GUEST_CHAT_STARTED = "GSESCHAT+";
    /** Guest: chat stopped (argument: none). */
    public static final String GUEST_CHAT_STOPPED = "GSESCHAT-";
    /** Guest: a message was sent. */
    public static final String GUEST_MESSAGE_SENT = "GACTMSG";
    /** Guest: the help service started (argument: none; Tandem adds the service names as detail). */
    public static final String GUEST_HELP_SERVICE_STARTED = "GACTHLPSV+";
    /** Guest: the help service stopped (argument: none). */
    public static final String GUEST_HELP_SERVICE_STOPPED = "GACTHLPSV-";
    /** Guest: a help request was received (argument: the Host name). */
    public static final String GUEST_HELP_REQUEST_RECEIVED = "GACTHLPRQ+";
    /** Guest: a help request was canceled, by the Host or by being declined (argument: the Host name). */
    public static final String GUEST_HELP_REQUEST_CANCELED = "GACTHLPRQ-";

    // Gateway (argument in the reference: as noted; Tandem adds the user, group and target as detail)

    /** Gateway: a Guest logged on to the Gateway (access allowed). */
    public static final String GATEWAY_ACCESS_ALLOWED = "HGWACCES+";
    /** Gateway: a Gateway logon password was rejected (argument: the connecting module's name). */
    public static final String GATEWAY_PASSWORD_REJECTED = "SECGWPW!";
    /** Gateway: a Gateway Guest (user) was added (argument: the Guest name). */
    public static final String GATEWAY_GUEST_ADDED = "HGWGUEST+";
    /** Gateway: a Gateway Guest (user) was changed (argument: the Guest name). */
    public static final String GATEWAY_GUEST_CHANGED = "HGWGUEST*";
    /** Gateway: a Gateway Guest (user) was deleted (argument: the Guest name). */
    public static final String GATEWAY_GUEST_DELETED = "HGWGUEST-";
    /** Gateway: a device group was defined (argument: the group name). */
    public static final String GATEWAY_GROUP_DEFINED = "HGWGROUP+";
    /** Gateway: a device group was deleted (argument: the group name). */
    public static final String GATEWAY_GROUP_DELETED = "HGWGROUP-";
    /**
     * Tandem's own (not in the reference): the Gateway opened a route for a logged-on Guest (detail:
     * group and target).
     */
    public static final String TANDEM_GATEWAY_ROUTE_OPENED = "TGWROUTE+";
    /** Tandem's own (not in the reference): a route through the Gateway closed (detail: why, bytes each way). */
    public static final String TANDEM_GATEWAY_ROUTE_CLOSED = "TGWROUTE-";
    /**
     * Tandem's own (not in the reference): the Gateway refused a route (detail: unknown group, not
     * allowed, or the target unreachable and why).
     */
    public static final String TANDEM_GATEWAY_ROUTE_REFUSED = "TGWROUTE!";
    /**
     * Tandem's own (not in the reference): a Host or Guest logged on to a WebConnect Connection Manager
     * (detail: as which); a wrong account password there is {@link #PASSWORD_REJECTED}.
     */
    public static final String TANDEM_WEBCONNECT_LOGGED_ON = "TWCLOGON+";
    /**
     * Tandem's own (not in the reference): a Host came back to a WebConnect Connection Manager with its
     * resumption ticket instead of a full logon (detail: the Host name; user = account).
     */
    public static final String TANDEM_WEBCONNECT_RESUMED = "TWCLOGON~";
    /**
     * Tandem's own (not in the reference): a WebConnect Connection Manager refused a resumption ticket
     * (detail: forged or changed, expired, revoked by a new password or a removed account, another Host's,
     * or a wrong proof); the Host falls back to a full logon.
     */
    public static final String TANDEM_WEBCONNECT_RESUME_REFUSED = "TWCLOGON!";
    /**
     * Tandem's own (not in the reference): a WebConnect support session was created, extended (its code
     * valid afresh), renewed (a new code), cancelled before use, ended (detail: which, the code's last
     * digits, by whom) or its link's page served the temporary Host; recorded by the manager, by the
     * supporter's node (user: the supporter) and by the temporary Host.
     */
    public static final String TANDEM_WEBCONNECT_SUPPORT_CHANGED = "TWCSUP*";
    /**
     * Tandem's own (not in the reference): a temporary Host joined a WebConnect support session with its
     * code, first or again within the session's lifetime (detail: the Host name).
     */
    public static final String TANDEM_WEBCONNECT_SUPPORT_JOINED = "TWCSUP+";
    /**
     * Tandem's own (not in the reference): a support code was refused at a WebConnect Connection Manager
     * (unknown, expired, cancelled, ended or bound to another Host instance); its address is the
     * event's source. Repeated guesses are then held back by the logon limits.
     */
    public static final String TANDEM_WEBCONNECT_SUPPORT_REFUSED = "TWCSUP!";

    /** Host: a remote management session started (argument: the Guest name). */
    public static final String HOST_REMOTE_MANAGEMENT_STARTED = "HSESRM+";
    /** Host: a remote management session stopped (argument: the Guest name). */
    public static final String HOST_REMOTE_MANAGEMENT_STOPPED = "HSESRM-";
    /** Host: keyboard and mouse assigned to a Guest (Tandem: its remote-input channel opened). */
    public static final String HOST_INPUT_ASSIGNED = "HACTKBDMS+";
    /** Host: keyboard and mouse revoked (Tandem: the Guest's remote-input channel closed). */
    public static final String HOST_INPUT_REVOKED = "HACTKBDMS-";
    /** Guest: a file transfer session started (argument: none; Tandem adds the Host as peer). */
    public static final String GUEST_FILE_TRANSFER_STARTED = "GSESFXFER+";
    /** Guest: a file transfer session stopped (argument: none). */
    public static final String GUEST_FILE_TRANSFER_STOPPED = "GSESFXFER-";
    /** Guest: a remote management session started (argument: the Host name). */
    public static final String GUEST_REMOTE_MANAGEMENT_STARTED = "GSESRM+";
    /** Guest: a remote management session stopped (argument: the Host name). */
    public static final String GUEST_REMOTE_MANAGEMENT_STOPPED = "GSESRM-";
    /**
     * Tandem's own (not in the reference): a session of a type the reference names no event for started
     * (detail: the session type's title; e.g. keyboard and mouse on the Guest, or a third party's session).
     */
    public static final String TANDEM_SESSION_STARTED = "TSES+";
    /** Tandem's own (not in the reference): such a session stopped (detail: its title and why). */
    public static final String TANDEM_SESSION_STOPPED = "TSES-";
    /**
     * Tandem's own (not in the reference): a peer broke the protocol before or after logging on (a failed
     * handshake, a forged or replayed record, a malformed message); detail: what it sent.
     */
    public static final String TANDEM_PROTOCOL_ERROR = "TSECPROTO!";
    /**
     * Tandem's own (not in the reference, whose Host has no such action): the person at the Host ended a
     * Guest's connection (argument: the Guest name).
     */
    public static final String TANDEM_HOST_DISCONNECT = "TCONHNGUP";
    /**
     * Tandem's own (the reference has codes for keyboard and mouse assigned and revoked, not for the
     * person's consent): the person at the Host gave a Guest control of keyboard and mouse.
     */
    public static final String TANDEM_CONTROL_GRANTED = "TSECCTRL";
    /** Tandem's own: the person at the Host refused a Guest control, or nobody answered in time (detail: which). */
    public static final String TANDEM_CONTROL_DENIED = "TSECCTRL!";
    /**
     * Host: the person's keyboard and mouse were locked (argument: none; Tandem names the Guest as user). The
     * reference's suffix says the keyboard's state: {@code -} off, {@code +} on again.
     */
    public static final String HOST_KEYBOARD_LOCKED = "HACTKBD-";
    /** Host: the person's keyboard and mouse were unlocked (argument: none; detail: why). */
    public static final String HOST_KEYBOARD_UNLOCKED = "HACTKBD+";
    /**
     * Host: the person made an invitation for a supporter (argument: none; user: {@code invitation:ID};
     * detail: its expiry and role). @since 2.4
     */
    public static final String HOST_INVITATION_CREATED = "HSECINV+";
    /** Host: an invitation's file and mail text were written again, same ID and expiry. @since 2.4 */
    public static final String HOST_INVITATION_RESENT = "HSECINV*";
    /**
     * Host: an invitation can no longer be used (detail: by the person, by time, or after wrong
     * passwords). @since 2.4
     */
    public static final String HOST_INVITATION_EXPIRED = "HSECINV-";
    /** Host: an invitation was deleted. @since 2.4 */
    public static final String HOST_INVITATION_DELETED = "HSECINVDEL";
    /** Host: a Guest logged on with an invitation (argument: its address). @since 2.4 */
    public static final String HOST_INVITATION_USED = "HSECINVUSE";
    /**
     * Host: a logon with an invitation was refused (detail: wrong password, expired, deleted or
     * unknown). @since 2.4
     */
    public static final String HOST_INVITATION_REFUSED = "HSECINV!";

    /**
     * Tandem's own (not in the reference): a supporter logged in to the browser console (user: the account;
     * source: the browser's address). A wrong user name or password there is {@link #PASSWORD_REJECTED}
     * (user: the name tried), the first refusal by the logon limits {@link #HOST_PASSWORD_LIMIT}. @since 2.4
     */
    public static final String TANDEM_CONSOLE_LOGGED_IN = "TCONLOGIN+";
    /**
     * Tandem's own (not in the reference): a console account was added, disabled, enabled, deleted, reset,
     * given another role, or its password set or changed (user: who did it; detail: what). @since 2.4
     */
    public static final String TANDEM_CONSOLE_ACCOUNT_CHANGED = "TCONACCT*";

    /** Security Server started (the reference's code). @since 2.5 */
    public static final String SECURITY_SERVER_STARTED = "HCONNSS+";
    /** Security Server stopped (the reference's code). @since 2.5 */
    public static final String SECURITY_SERVER_STOPPED = "HCONNSS-";
    /**
     * Tandem's own: the Security Server granted a delegated logon (user: the identity; peer: the Guest's
     * address; detail: the asking node, the method and the role the rules gave). @since 2.5
     */
    public static final String TANDEM_SECURITY_SERVER_GRANTED = "TSECSS+";
    /**
     * Tandem's own: the Security Server denied a delegated logon (user: the name tried, never the password;
     * detail: the node, the method and why: unknown user, wrong password, wrong or replayed one-time code,
     * disabled account, no rule gives a role). @since 2.5
     */
    public static final String TANDEM_SECURITY_SERVER_DENIED = "TSECSS!";
    /**
     * Tandem's own: a node could not reach its Security Server and followed its fallback (detail: refuse,
     * or the local method), or reached it again. @since 2.5
     */
    public static final String TANDEM_SECURITY_SERVER_UNREACHABLE = "TSECSSFB";
    /**
     * Tandem's own: a node connected to the Security Server (detail: its name, kind and key fingerprint),
     * was refused (unknown or disabled key), or an administrator approved, disabled or removed it. @since 2.5
     */
    public static final String TANDEM_SECURITY_SERVER_NODE = "TSECSSNODE";
    /**
     * Tandem's own: a Security Server Guest ID, rule, one-time-code enrolment or group was added, changed
     * or removed (user: the administrator; detail: what). @since 2.5
     */
    public static final String TANDEM_SECURITY_SERVER_CHANGED = "TSECSS*";
    /** Tandem's own: the audit trail's hash chain was verified (detail: rows, and the first broken one). @since 2.5 */
    public static final String TANDEM_AUDIT_VERIFIED = "TSECAUDIT";

    private static final String UNKNOWN = "unknown event";

    private static final Map<String, String> MEANINGS = Map.ofEntries(
            Map.entry(HOST_STARTED, "Host started"),
            Map.entry(HOST_STOPPED, "Host stopped"),
            Map.entry(HOST_SESSION_STARTED, "session started"),
            Map.entry(HOST_SESSION_STOPPED, "session stopped"),
            Map.entry(HOST_REMOTE_CONTROL_STARTED, "remote control started"),
            Map.entry(HOST_REMOTE_CONTROL_STOPPED, "remote control stopped"),
            Map.entry(HOST_CHAT_STARTED, "chat started"),
            Map.entry(HOST_CHAT_STOPPED, "chat stopped"),
            Map.entry(HOST_FILE_TRANSFER_STARTED, "file transfer started"),
            Map.entry(HOST_FILE_TRANSFER_STOPPED, "file transfer stopped"),
            Map.entry(TANDEM_TOOL_OPERATION, "remote-management operation run"),
            Map.entry(TANDEM_PATH_REFUSED, "a path outside the shared folders was refused"),
            Map.entry(TANDEM_FILE_OFFERED, "a file was offered to the person at the Host"),
            Map.entry(TANDEM_FILE_OFFER_ACCEPTED, "an offered file was accepted"),
            Map.entry(TANDEM_FILE_OFFER_REFUSED, "an offered file was refused"),
            Map.entry(TANDEM_FILE_RECEIVED, "an offered file was saved"),
            Map.entry(TANDEM_FILE_RECEIVE_FAILED, "an offered file did not arrive"),
            Map.entry(HOST_MESSAGE_RECEIVED, "message received"),
            Map.entry(HOST_HELP_REQUEST_SENT, "help request sent"),
            Map.entry(HOST_HELP_REQUEST_CANCELED, "help request canceled"),
            Map.entry(HOST_KEYBOARD_LOCKED, "keyboard locked"),
            Map.entry(HOST_KEYBOARD_UNLOCKED, "keyboard unlocked"),
            Map.entry(HOST_PASSWORD_LIMIT, "illegal password limit reached"),
            Map.entry(HOST_PASSWORD_CHANGED, "password changed"),
            Map.entry(HOST_INVITATION_CREATED, "invitation created"),
            Map.entry(HOST_INVITATION_RESENT, "invitation resent"),
            Map.entry(HOST_INVITATION_EXPIRED, "invitation expired"),
            Map.entry(HOST_INVITATION_DELETED, "invitation deleted"),
            Map.entry(HOST_INVITATION_USED, "invitation used"),
            Map.entry(HOST_INVITATION_REFUSED, "invitation refused"),
            Map.entry(TANDEM_ADDRESS_REFUSED, "address not allowed"),
            Map.entry(TANDEM_PRIVILEGE_REFUSED, "session refused: privilege missing"),
            Map.entry(HOST_TIMEOUT, "timeout limit exceeded"),
            Map.entry(CONNECTION_LOST, "connection lost"),
            Map.entry(PASSWORD_REJECTED, "password rejected"),
            Map.entry(CONFIRM_ACCESS_GRANTED, "confirm access granted"),
            Map.entry(CONFIRM_ACCESS_DENIED, "confirm access denied"),
            Map.entry(GUEST_CALL, "call Host"),
            Map.entry(GUEST_DISCONNECT, "disconnect Host"),
            Map.entry(GUEST_USER_AUTHENTICATED, "user authenticated"),
            Map.entry(GUEST_REMOTE_CONTROL_STARTED, "remote control started"),
            Map.entry(GUEST_REMOTE_CONTROL_STOPPED, "remote control stopped"),
            Map.entry(GUEST_CHAT_STARTED, "chat started"),
            Map.entry(GUEST_CHAT_STOPPED, "chat stopped"),
            Map.entry(GUEST_MESSAGE_SENT, "message sent"),
            Map.entry(GUEST_HELP_SERVICE_STARTED, "help service start"),
            Map.entry(GUEST_HELP_SERVICE_STOPPED, "help service stop"),
            Map.entry(GUEST_HELP_REQUEST_RECEIVED, "help request received"),
            Map.entry(GUEST_HELP_REQUEST_CANCELED, "help request canceled"),
            Map.entry(GATEWAY_ACCESS_ALLOWED, "Gateway access allowed"),
            Map.entry(GATEWAY_PASSWORD_REJECTED, "Gateway password rejected"),
            Map.entry(GATEWAY_GUEST_ADDED, "Gateway Guest added"),
            Map.entry(GATEWAY_GUEST_CHANGED, "Gateway Guest changed"),
            Map.entry(GATEWAY_GUEST_DELETED, "Gateway Guest deleted"),
            Map.entry(GATEWAY_GROUP_DEFINED, "Gateway group defined"),
            Map.entry(GATEWAY_GROUP_DELETED, "Gateway group deleted"),
            Map.entry(TANDEM_GATEWAY_ROUTE_OPENED, "Gateway route opened"),
            Map.entry(TANDEM_GATEWAY_ROUTE_CLOSED, "Gateway route closed"),
            Map.entry(TANDEM_GATEWAY_ROUTE_REFUSED, "Gateway route refused"),
            Map.entry(HOST_REMOTE_MANAGEMENT_STARTED, "remote management started"),
            Map.entry(HOST_REMOTE_MANAGEMENT_STOPPED, "remote management stopped"),
            Map.entry(HOST_INPUT_ASSIGNED, "keyboard and mouse assigned"),
            Map.entry(HOST_INPUT_REVOKED, "keyboard and mouse revoked"),
            Map.entry(GUEST_FILE_TRANSFER_STARTED, "file transfer started"),
            Map.entry(GUEST_FILE_TRANSFER_STOPPED, "file transfer stopped"),
            Map.entry(GUEST_REMOTE_MANAGEMENT_STARTED, "remote management started"),
            Map.entry(GUEST_REMOTE_MANAGEMENT_STOPPED, "remote management stopped"),
            Map.entry(TANDEM_SESSION_STARTED, "session started"),
            Map.entry(TANDEM_SESSION_STOPPED, "session stopped"),
            Map.entry(TANDEM_PROTOCOL_ERROR, "protocol broken by the peer"),
            Map.entry(TANDEM_HOST_DISCONNECT, "Guest disconnected by the person at the Host"),
            Map.entry(TANDEM_CONTROL_GRANTED, "control of keyboard and mouse given"),
            Map.entry(TANDEM_CONTROL_DENIED, "control of keyboard and mouse refused"),
            Map.entry(TANDEM_CONSOLE_LOGGED_IN, "console login"),
            Map.entry(TANDEM_CONSOLE_ACCOUNT_CHANGED, "console account changed"),
            Map.entry(SECURITY_SERVER_STARTED, "Security Server started"),
            Map.entry(SECURITY_SERVER_STOPPED, "Security Server stopped"),
            Map.entry(TANDEM_SECURITY_SERVER_GRANTED, "logon granted by the Security Server"),
            Map.entry(TANDEM_SECURITY_SERVER_DENIED, "logon denied by the Security Server"),
            Map.entry(TANDEM_SECURITY_SERVER_UNREACHABLE, "Security Server unreachable: fallback"),
            Map.entry(TANDEM_SECURITY_SERVER_NODE, "Security Server node connected, refused or changed"),
            Map.entry(TANDEM_SECURITY_SERVER_CHANGED, "Security Server settings changed"),
            Map.entry(TANDEM_AUDIT_VERIFIED, "audit trail verified"));

    private EventCodes() {
    }

    /**
     * The meaning of a code, e.g. {@code "password rejected"} for {@code SECPW!}; {@code "unknown event"}
     * for a code not listed here or {@code null}. Blanks inside the code (the padded form) are ignored.
     */
    public static String describe(@Nullable String code) {
        if (code == null) {
            return UNKNOWN;
        }
        return MEANINGS.getOrDefault(code.replaceAll("\\s+", ""), UNKNOWN);
    }
}
