package org.tandemrc.security.server.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.logon.PasswordLogon;

/** A directory of one user, that needs the password itself, as an LDAP or PAM method does. */
record TestDirectory(String method, String user, String password, Set<String> groups) implements Authenticator {

    @Override
    public Exchange begin(String name, String sourceAddress) {
        return new Exchange() {
            @Override
            public Map<String, byte[]> challenge() {
                return PasswordLogon.challenge(false);
            }

            @Override
            public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                char[] given = PasswordLogon.password(proof).orElse(new char[0]);
                try {
                    return name.equals(user) && Arrays.equals(given, password.toCharArray())
                            ? AuthResult.granted(new Identity(name, method, groups))
                            : AuthResult.denied("wrong password");
                } finally {
                    Arrays.fill(given, '\0');
                }
            }
        };
    }
}
