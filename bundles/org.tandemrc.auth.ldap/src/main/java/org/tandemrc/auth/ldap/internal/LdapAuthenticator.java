package org.tandemrc.auth.ldap.internal;

import java.security.SecureRandom;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.support.config.TypedConfig;

/**
 * The access method {@code ldap}: the Guest sends its password (inside the connection's encryption, to a
 * Host whose key it pinned), and the method binds to the directory as that user. The directory's groups
 * give the identity's groups, through {@code role.map} the Host role. Works on a Host
 * ({@code method = ldap} in {@code etc/org.tandemrc.host.security.cfg}) and behind a Security Server
 * ({@code directory = ldap}).
 *
 * <p>The password is never logged, stored, or put in a message: it lives in a char array cleared when
 * the check ends. An unknown name and a wrong password give the same answer, and the logon engine sends
 * every answer the same time after its proof.
 */
@Component(service = Authenticator.class, configurationPid = LdapAuthenticator.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = Authenticator.METHOD_PROPERTY + "=" + LdapAuthenticator.METHOD)
@Designate(ocd = LdapConfig.class)
public class LdapAuthenticator implements Authenticator {

    static final String PID = "org.tandemrc.auth.ldap";
    static final String METHOD = "ldap";
    /** The longest user name passed on to the directory. */
    static final int MAX_NAME = 256;

    private final SecureRandom random = new SecureRandom();
    private volatile Directory directory;

    public LdapAuthenticator() {
    }

    /** A method over settings given directly (tests). */
    LdapAuthenticator(Map<String, Object> config) {
        modified(config);
    }

    @Activate
    @Modified
    void modified(Map<String, Object> properties) {
        directory = new Directory(TypedConfig.of(LdapConfig.class, PID, properties), random);
    }

    @Override
    public String method() {
        return METHOD;
    }

    @Override
    public Exchange begin(String user, String sourceAddress) {
        if (user.isEmpty() || user.length() > MAX_NAME || user.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a directory user name is 1 to " + MAX_NAME + " printable characters");
        }
        Directory d = directory;
        return PasswordLogon.exchange(password -> {
            Directory.Outcome o = d.check(user, password);
            return o.groups().map(g -> AuthResult.granted(new Identity(user, METHOD, g)))
                    .orElseGet(() -> AuthResult.denied(o.failure()));
        });
    }
}
