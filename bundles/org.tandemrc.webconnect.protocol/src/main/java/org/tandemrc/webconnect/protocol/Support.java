package org.tandemrc.webconnect.protocol;

import io.netty.buffer.ByteBuf;
import org.tandemrc.protocol.ProtocolException;
import org.tandemrc.protocol.codec.WireReader;
import org.tandemrc.protocol.codec.WireWriter;

/**
 * Support sessions: a supporter (a Guest logged on to its account) creates one and reads out its code;
 * a temporary Host joins it with that code instead of the account's password, and the supporter then
 * connects to {@code support:CODE}. The frames as both sides write and read them ({@code read} takes a
 * reader past the type byte):
 * <pre>
 * SUPPORT_CREATE Guest→M  str supporter | u32 codeMinutes | u32 lifetimeMinutes
 * SUPPORT        M→Guest  str code | str supporter | u64 codeExpires | u32 lifetimeMinutes | u64 ends
 *                         | str state | str link
 * SUPPORT_CHANGE Guest→M  u8 action | str code            (a joined Host: only END, of its own session)
 * SUPPORT_LIST   Guest→M  (empty)
 * SUPPORT_SESSIONS M→Guest u16 count (at most MAX_LIST) | count × SUPPORT's body
 * SUPPORT_JOIN   Host→M   str code | str instance          (after LOGON with role "support-host")
 * SUPPORT_JOINED M→Host   str account | str hostName | str supporter | u64 ends | str managerId
 * </pre>
 * A session's {@code link} is the address of the page the person opens to download the temporary Host
 * (empty when the manager serves no such page); it holds a token of its own, not the code.
 */
public final class Support {

    /** The LOGON role of a temporary Host that joins with a code; its LOGON names no account. */
    public static final String ROLE = "support-host";
    /** SUPPORT_CHANGE actions: EXTEND keeps a waiting session's code and makes it valid afresh; RENEW replaces it. */
    public static final int EXTEND = 1;
    public static final int CANCEL = 2;
    public static final int END = 3;
    /** SUPPORT_CHANGE: no change, the session as it stands. */
    public static final int STATUS = 4;
    /** SUPPORT_CHANGE: a new code for a waiting session, valid afresh; the old one stops working. */
    public static final int RENEW = 5;
    /** Sessions in one SUPPORT_SESSIONS at most. */
    public static final int MAX_LIST = 256;
    /** Digits of a code. */
    public static final int CODE_DIGITS = 9;

    private Support() {
    }

    /** A code as typed or read out, spaces and dashes dropped: nine digits, or null. */
    public static String normalize(String typed) {
        if (typed == null || typed.length() > 32) {
            return null;
        }
        String digits = typed.replaceAll("[\\s-]", "");
        return digits.matches("[0-9]{" + CODE_DIGITS + "}") ? digits : null;
    }

    /** A code as shown: {@code 123 456 789}. */
    public static String display(String code) {
        return code.substring(0, 3) + " " + code.substring(3, 6) + " " + code.substring(6);
    }

    /** The name a joined Host registers under in the supporter's account. */
    public static String hostName(String code) {
        return "support-" + code;
    }

    /** SUPPORT_CREATE. */
    public record Create(String supporter, int codeMinutes, int lifetimeMinutes) {
        public static Create read(WireReader r) throws ProtocolException {
            return new Create(Fields.string(r, "supporter"), r.i32("code minutes"), r.i32("lifetime minutes"));
        }

        public ByteBuf frame() {
            return Frames.frame(Frames.SUPPORT_CREATE, Fields.string(new WireWriter(), supporter).u32(codeMinutes)
                    .u32(lifetimeMinutes));
        }
    }

    /**
     * SUPPORT: a session as it stands; {@code ends} is 0 until a Host joined; {@code link} is empty when
     * the manager serves no download page.
     */
    public record Session(String code, String supporter, long codeExpires, int lifetimeMinutes, long ends, String state,
            String link) {
        public static Session read(WireReader r) throws ProtocolException {
            return new Session(Fields.string(r, "code"), Fields.string(r, "supporter"), r.i64("code expires"),
                    r.i32("lifetime minutes"), r.i64("ends"), Fields.string(r, "state"), Fields.string(r, "link"));
        }

        public ByteBuf frame() {
            return Frames.frame(Frames.SUPPORT, write(new WireWriter()));
        }

        WireWriter write(WireWriter w) {
            Fields.string(Fields.string(w, code), supporter).i64(codeExpires).u32(lifetimeMinutes).i64(ends);
            return Fields.string(Fields.string(w, state), link);
        }
    }

    /** SUPPORT_LIST: the open sessions of the Guest's account. */
    public static ByteBuf listFrame() {
        return Frames.frame(Frames.SUPPORT_LIST, new WireWriter());
    }

    /** SUPPORT_SESSIONS: at most {@link #MAX_LIST} sessions. */
    public record Sessions(java.util.List<Session> sessions) {
        public Sessions {
            if (sessions.size() > MAX_LIST) {
                throw new IllegalArgumentException(sessions.size() + " sessions, more than " + MAX_LIST);
            }
            sessions = java.util.List.copyOf(sessions);
        }

        public static Sessions read(WireReader r) throws ProtocolException {
            int n = r.u16("sessions");
            if (n > MAX_LIST) {
                throw new ProtocolException(n + " support sessions, more than " + MAX_LIST);
            }
            java.util.List<Session> out = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(Session.read(r));
            }
            return new Sessions(out);
        }

        public ByteBuf frame() {
            WireWriter w = new WireWriter().u16(sessions.size());
            for (Session s : sessions) {
                s.write(w);
            }
            return Frames.frame(Frames.SUPPORT_SESSIONS, w);
        }
    }

    /** SUPPORT_CHANGE. */
    public record Change(int action, String code) {
        public static Change read(WireReader r) throws ProtocolException {
            return new Change(r.u8("action"), Fields.string(r, "code"));
        }

        public ByteBuf frame() {
            return Frames.frame(Frames.SUPPORT_CHANGE, Fields.string(new WireWriter().u8(action), code));
        }
    }

    /** SUPPORT_JOIN. */
    public record Join(String code, String instance) {
        public static Join read(WireReader r) throws ProtocolException {
            return new Join(Fields.string(r, "code"), Fields.string(r, "instance"));
        }

        public ByteBuf frame() {
            return Frames.frame(Frames.SUPPORT_JOIN, Fields.string(Fields.string(new WireWriter(), code), instance));
        }
    }

    /** SUPPORT_JOINED. */
    public record Joined(String account, String hostName, String supporter, long ends, String managerId) {
        public static Joined read(WireReader r) throws ProtocolException {
            return new Joined(Fields.string(r, "account"), Fields.string(r, "host name"), Fields.string(r, "supporter"),
                    r.i64("ends"), Fields.string(r, "manager id"));
        }

        public ByteBuf frame() {
            WireWriter w = Fields.string(Fields.string(Fields.string(new WireWriter(), account), hostName), supporter);
            return Frames.frame(Frames.SUPPORT_JOINED, Fields.string(w.i64(ends), managerId));
        }
    }
}
