package org.tandemrc.auth.pam.internal;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few calls of Linux-PAM and the C library this method needs, through JNA: one logon is
 * {@code pam_start}, {@code pam_authenticate} (the conversation answers the password), {@code pam_acct_mgmt}
 * (locked, expired), {@code pam_end}; the groups come from {@code getpwnam} and {@code getgrouplist}.
 *
 * <p>PAM modules and these C library calls keep global state (static buffers, the shadow file): one
 * logon at a time goes through here.
 */
final class Pam {

    static final int PAM_SUCCESS = 0;
    static final int PAM_CONV_ERR = 19;
    static final int PAM_PROMPT_ECHO_OFF = 1;
    static final int PAM_PROMPT_ECHO_ON = 2;
    /** No messages to the client from the modules (pam_unix's "password expired" goes nowhere). */
    static final int PAM_SILENT = 0x8000;
    static final int PAM_DISALLOW_NULL_AUTHTOK = 0x1;
    /** Bounds of what a module may ask in one conversation, and of a user's group list. */
    private static final int MAX_MESSAGES = 32;
    private static final int MAX_GROUPS = 4096;

    interface LibPam extends Library {
        int pam_start(String service, String user, Conversation conv, PointerByReference handle);

        int pam_authenticate(Pointer handle, int flags);

        int pam_acct_mgmt(Pointer handle, int flags);

        int pam_end(Pointer handle, int status);

        String pam_strerror(Pointer handle, int errnum);
    }

    interface LibC extends Library {
        Pointer calloc(long count, long size);

        void free(Pointer p);

        Pointer getpwnam(String name);

        int getgrouplist(String user, int group, int[] groups, IntByReference count);

        Pointer getgrgid(int gid);
    }

    /** {@code struct pam_conv}. */
    @Structure.FieldOrder({"conv", "appdata_ptr"})
    public static final class Conversation extends Structure {
        public ConvFunction conv;
        public Pointer appdata_ptr;
    }

    /** {@code int (*conv)(int, const struct pam_message **, struct pam_response **, void *)}. */
    public interface ConvFunction extends Callback {
        int callback(int count, Pointer messages, Pointer responses, Pointer appdata);
    }

    private static final LibPam PAM = Native.load("libpam.so.0", LibPam.class);
    private static final LibC C = Native.load("c", LibC.class);
    private static final Object LOCK = new Object();

    private Pam() {
    }

    /** The outcome of a check: empty failure when the account may log on. */
    record Outcome(boolean ok, String failure) {
    }

    /**
     * Runs the service's auth and account stacks for {@code user} with {@code password} as the answer to
     * every hidden prompt.
     */
    static Outcome check(String service, String user, byte[] password) {
        synchronized (LOCK) {
            Conversation conv = new Conversation();
            conv.conv = (count, messages, responses, appdata) -> answer(count, messages, responses, user, password);
            PointerByReference h = new PointerByReference();
            int rc = PAM.pam_start(service, user, conv, h);
            if (rc != PAM_SUCCESS) {
                return new Outcome(false, "pam_start(" + service + ") failed: " + rc);
            }
            Pointer handle = h.getValue();
            int last = rc;
            try {
                last = PAM.pam_authenticate(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
                if (last != PAM_SUCCESS) {
                    return new Outcome(false, "authentication refused: " + PAM.pam_strerror(handle, last));
                }
                last = PAM.pam_acct_mgmt(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
                if (last != PAM_SUCCESS) {
                    return new Outcome(false, "account refused: " + PAM.pam_strerror(handle, last));
                }
                return new Outcome(true, "");
            } finally {
                PAM.pam_end(handle, last);
                // The callback must stay reachable until pam_end: the modules may call it until then.
                Reference.reachabilityFence(conv);
            }
        }
    }

    /**
     * Answers the modules' prompts: the password to hidden ones, the user name to visible ones, nothing to
     * messages. The answers are allocated with the C library, as PAM frees (and Linux-PAM overwrites) them.
     */
    private static int answer(int count, Pointer messages, Pointer responses, String user, byte[] password) {
        if (count <= 0 || count > MAX_MESSAGES) {
            return PAM_CONV_ERR;
        }
        Pointer replies = C.calloc(count, 2L * Native.POINTER_SIZE); // {char *resp; int retcode;} padded
        if (replies == null) {
            return PAM_CONV_ERR;
        }
        for (int i = 0; i < count; i++) {
            Pointer message = messages.getPointer((long) i * Native.POINTER_SIZE);
            int style = message.getInt(0);
            byte[] text = style == PAM_PROMPT_ECHO_OFF ? password
                    : style == PAM_PROMPT_ECHO_ON ? user.getBytes(StandardCharsets.UTF_8) : null;
            if (text != null) {
                Pointer s = C.calloc(text.length + 1L, 1);
                if (s == null) {
                    for (int j = 0; j < i; j++) {
                        Pointer done = replies.getPointer((long) j * 2 * Native.POINTER_SIZE);
                        if (done != null) {
                            done.clear(strlen(done));
                            C.free(done);
                        }
                    }
                    C.free(replies);
                    return PAM_CONV_ERR;
                }
                s.write(0, text, 0, text.length);
                replies.setPointer((long) i * 2 * Native.POINTER_SIZE, s);
            }
        }
        responses.setPointer(0, replies);
        return PAM_SUCCESS;
    }

    private static long strlen(Pointer p) {
        long n = 0;
        while (p.getByte(n) != 0) {
            n++;
        }
        return n;
    }

    /** The names of the user's groups, its primary group first; empty for an unknown user. */
    static Set<String> groups(String user) {
        synchronized (LOCK) {
            Pointer pw = C.getpwnam(user);
            if (pw == null) {
                return Set.of();
            }
            // struct passwd: char *pw_name, char *pw_passwd, uid_t pw_uid, gid_t pw_gid, ...
            int gid = pw.getInt(2L * Native.POINTER_SIZE + 4);
            int[] gids = new int[64];
            IntByReference n = new IntByReference(gids.length);
            if (C.getgrouplist(user, gid, gids, n) < 0) {
                int wanted = Math.min(n.getValue(), MAX_GROUPS);
                gids = new int[wanted];
                n = new IntByReference(wanted);
                if (C.getgrouplist(user, gid, gids, n) < 0) {
                    n.setValue(wanted); // more than anyone needs: those read decide
                }
            }
            List<Integer> ordered = new ArrayList<>();
            ordered.add(gid);
            for (int i = 0; i < Math.min(n.getValue(), gids.length); i++) {
                ordered.add(gids[i]);
            }
            Set<String> names = new LinkedHashSet<>();
            for (int g : ordered) {
                Pointer gr = C.getgrgid(g);
                if (gr != null) {
                    names.add(gr.getPointer(0).getString(0));
                }
            }
            return names;
        }
    }
}
