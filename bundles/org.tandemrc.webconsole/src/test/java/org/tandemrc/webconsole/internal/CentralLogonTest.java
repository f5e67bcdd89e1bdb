package org.tandemrc.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.api.security.Authenticator;
import org.tandemrc.api.security.Identity;
import org.tandemrc.protocol.logon.PasswordLogon;
import org.tandemrc.protocol.logon.SrpAuthenticator;
import org.tandemrc.protocol.srp.PasswordVerifier;

/**
 * Console logins the Security Server decides ({@code logon = security-server}): the console answers the
 * server's challenge for the supporter as a Guest would and takes the console role the server's rules
 * give. The methods here are the real SRP and password exchanges the server runs, in process.
 */
class CentralLogonTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String REMOTE = "127.0.0.1:50000";

    @TempDir
    Path dir;

    private Logins central(Authenticator method) throws IOException {
        Logins logins = new Logins(dir, Clock.systemUTC(), Duration.ofMinutes(30), Duration.ofHours(12));
        logins.modified(Map.of("logon", "security-server"));
        logins.centralMethod = method;
        return logins;
    }

    /** A Guest ID kept on the server: SRP over its verifier; the rules' role is the identity's group. */
    private static Authenticator guestId(String user, String password, String role) {
        PasswordVerifier v = PasswordVerifier.create(user, password.toCharArray(), RANDOM);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new SrpAuthenticator("guest-id", name -> name.equals(user)
                ? Optional.of(new SrpAuthenticator.Account(v, Set.of(role))) : Optional.empty(), secret, RANDOM);
    }

    /** A directory account with a one-time code: the password itself, then the code. */
    private static Authenticator directoryWithCode(String user, String password, String code, String role) {
        return new Authenticator() {
            @Override
            public String method() {
                return "ldap";
            }

            @Override
            public Exchange begin(String name, String source) {
                return new Exchange() {
                    @Override
                    public Map<String, byte[]> challenge() {
                        return PasswordLogon.challenge(true);
                    }

                    @Override
                    public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                        boolean right = name.equals(user) && PasswordLogon.password(proof)
                                .map(p -> new String(p).equals(password)).orElse(false)
                                && PasswordLogon.code(proof).equals(Optional.of(code));
                        return right ? AuthResult.granted(new Identity(name, "ldap", Set.of(role)))
                                : AuthResult.denied("wrong password or code");
                    }
                };
            }
        };
    }

    @Test
    void aGuestIdOfTheSecurityServerLogsOnWithTheRoleItsRulesGive() throws Exception {
        Logins logins = central(guestId("alice", "alice's long password", "administrator"));
        assertNull(logins.setupToken(), "no first administrator is made here");
        String token = logins.login("Alice", "alice's long password", "", REMOTE);
        Logins.Login login = logins.find(token);
        assertNotNull(login);
        assertEquals("alice", login.account);
        assertTrue(logins.administrator(login));
        Logins.Refused wrong = assertThrows(Logins.Refused.class,
                () -> logins.login("alice", "not the password", "", REMOTE));
        assertEquals(Logins.WRONG, wrong.getMessage());
        assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                () -> logins.login("mallory", "alice's long password", "", REMOTE)).getMessage());
    }

    @Test
    void aCodeIsAskedForWhenTheServerWantsOneAndChecked() throws Exception {
        Logins logins = central(directoryWithCode("bob", "bob's directory password", "493817", "supporter"));
        assertThrows(CentralLogon.CodeRequired.class, () -> logins.login("bob", "bob's directory password", "", REMOTE));
        assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                () -> logins.login("bob", "bob's directory password", "111111", REMOTE)).getMessage());
        Logins.Login login = logins.find(logins.login("bob", "bob's directory password", " 493817 ", REMOTE));
        assertEquals("bob", login.account);
        assertFalse(logins.administrator(login), "the rules made bob a supporter");
    }

    @Test
    void aRoleThatIsNoConsoleRoleAnAbsentClientAndADisabledAccountAreRefused() throws Exception {
        Logins logins = central(guestId("carol", "carol's long password", "Full access"));
        assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                () -> logins.login("carol", "carol's long password", "", REMOTE)).getMessage());
        logins.centralMethod = null;
        assertTrue(assertThrows(Logins.Refused.class, () -> logins.login("carol", "carol's long password", "", REMOTE))
                .getMessage().contains("cannot check logins"));

        logins.centralMethod = guestId("dan", "dan's long password", "supporter");
        logins.login("dan", "dan's long password", "", REMOTE);
        logins.centralMethod = guestId("erin", "erin's long password", "administrator");
        Logins.Login erin = logins.find(logins.login("erin", "erin's long password", "", REMOTE));
        logins.change(erin, Logins.Change.DISABLE, "dan", null, REMOTE);
        logins.centralMethod = guestId("dan", "dan's long password", "supporter");
        assertTrue(assertThrows(Logins.Refused.class, () -> logins.login("dan", "dan's long password", "", REMOTE))
                .getMessage().contains("disabled"), "an administrator of the console still disables people here");
    }

    /** A client that says yes without the server having known the verifier (no valid M2) is not believed. */
    @Test
    void aGrantWithoutTheServersProofIsRefused() throws Exception {
        Authenticator real = guestId("alice", "alice's long password", "administrator");
        Authenticator liar = new Authenticator() {
            @Override
            public String method() {
                return "guest-id";
            }

            @Override
            public Exchange begin(String user, String source) throws IOException {
                Exchange e = real.begin(user, source);
                return new Exchange() {
                    @Override
                    public Map<String, byte[]> challenge() {
                        return e.challenge();
                    }

                    @Override
                    public AuthResult verify(Map<String, byte[]> proof, byte[] binding) {
                        return AuthResult.granted(new Identity(user, "guest-id", Set.of("administrator")),
                                Map.of(SrpAuthenticator.SERVER_PROOF, "forged".getBytes(StandardCharsets.US_ASCII)));
                    }
                };
            }
        };
        Logins logins = central(liar);
        assertEquals(Logins.WRONG, assertThrows(Logins.Refused.class,
                () -> logins.login("alice", "any password at all", "", REMOTE)).getMessage());
    }
}
