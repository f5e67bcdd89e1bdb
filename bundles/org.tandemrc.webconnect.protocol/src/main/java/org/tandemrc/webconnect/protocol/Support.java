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
 * SUPPORT        M→Guest  str code | u64 codeExpires | u32 lifetimeMinutes | u64 ends | str state
 * SUPPORT_CHANGE Guest→M  u8 action | str code
 * SUPPORT_JOIN   Host→M   str code | str instance          (after LOGON with role "support-host")
 * SUPPORT_JOINED M→Host   str account | str hostName | str supporter | u64 ends | str managerId
 * </pre>
 */
public final class Support {

    /** The LOGON role of a temporary Host that joins with a code; its LOGON names no account. */
    public static final String ROLE = "support-host";
    /** SUPPORT_CHANGE actions. */
    public static final int EXTEND = 1;
    public static final int CANCEL = 2;
    public static final int END = 3;
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

    /** SUPPORT: a session as it stands; {@code ends} is 0 until a Host joined. */
    public record Session(String code, long codeExpires, int lifetimeMinutes, long ends, String state) {
        public static Session read(WireReader r) throws ProtocolException {
            return new Session(Fields.string(r, "code"), r.i64("code expires"), r.i32("lifetime minutes"),
                    r.i64("ends"), Fields.string(r, "state"));
        }

        public ByteBuf frame() {
            WireWriter w = Fields.string(new WireWriter(), code).i64(codeExpires).u32(lifetimeMinutes).i64(ends);
            return Frames.frame(Frames.SUPPORT, Fields.string(w, state));
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
