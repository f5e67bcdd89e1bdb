package org.tandemrc.auth.pam.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.support.auth.GroupRoles;
import org.tandemrc.support.config.TypedConfig;

/**
 * The access method {@code pam}: the Guest sends the password of an account of the Host machine (inside
 * the connection's encryption, to a Host whose key it pinned), and PAM checks it with the service's auth
 * stack, then its account stack (locked, expired accounts). The account's groups give the identity's
 * groups, through {@code role.map} the Host role.
 *
 * <p>The service defaults to {@code tandem}: an administrator can give remote logons rules of their own in
 * {@code /etc/pam.d/tandem} (e.g. only members of one group) without touching console logins; until then
 * Linux-PAM uses {@code /etc/pam.d/other}. {@code login} would run what a terminal login needs (securetty,
 * motd, lastlog), not what a remote logon needs.
 *
 * <p>Checking a password against {@code /etc/shadow} needs root, or pam_unix's setuid helper
 * {@code unix_chkpwd} (which checks only the calling user's own password): a Host that is not root can
 * check its own user only. The password is never logged or stored; its bytes are cleared after the check.
 */
@Component(service = Authenticator.class, configurationPid = PamAuthenticator.PID,
        property = Authenticator.METHOD_PROPERTY + "=" + PamAuthenticator.METHOD)
@Designate(ocd = PamConfig.class)
public class PamAuthenticator implements Authenticator {

    static final String PID = "org.tandemrc.auth.pam";
    static final String METHOD = "pam";
    /** Longer names than Linux's user names (32) are never accounts. */
    static final int MAX_NAME = 64;

    private volatile PamConfig config;
    private volatile GroupRoles roles;

    public PamAuthenticator() {
    }

    /** A method over settings given directly (tests). */
    PamAuthenticator(Map<String, Object> config) {
        modified(config);
    }

    @Activate
    @Modified
    void modified(Map<String, Object> properties) {
        PamConfig c = TypedConfig.of(PamConfig.class, PID, properties);
        if (c.service().isBlank() || c.service().contains("/")) {
            throw new IllegalArgumentException(PID + ": service=" + c.service() + " is not a file name of /etc/pam.d");
        }
        try {
            roles = GroupRoles.parse(c.role_map());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": role.map: " + e.getMessage());
        }
        config = c;
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Exchange begin(String user, String sourceAddress) {
        // What the shadow utilities accept as a name; anything else is no account (and no PAM module sees it).
        if (user.isEmpty() || user.length() > MAX_NAME || !user.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?")) {
            throw new IllegalArgumentException("an account name is 1 to " + MAX_NAME
                    + " letters, digits, '_', '.', '-' (not first)");
        }
        PamConfig c = config;
        GroupRoles r = roles;
        return PasswordLogon.exchange(password -> {
            byte[] bytes = PasswordLogon.utf8(password);
            try {
                Pam.Outcome o = Pam.check(c.service().trim(), user, bytes);
                if (!o.ok()) {
                    return AuthResult.denied(o.failure());
                }
                Set<String> groups = Pam.groups(user);
                return r.identityGroups(groups, c.group_prefix())
                        .map(g -> AuthResult.granted(new Identity(user, METHOD, g)))
                        .orElseGet(() -> AuthResult.denied("no group of " + groups + " is in role.map"));
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        });
    }
}
