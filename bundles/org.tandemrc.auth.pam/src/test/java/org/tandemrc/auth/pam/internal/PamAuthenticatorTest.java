package org.tandemrc.auth.pam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.auth.pam.testing.LocalAccounts;
import org.tandemrc.protocol.logon.PasswordLogon;

/** The method against this machine's real PAM and accounts the test creates ({@link LocalAccounts}). */
class PamAuthenticatorTest {

    private static LocalAccounts accounts;
    private static String admins;
    private static String staff;
    private static String erin;
    private static String frank;
    private static String gina;
    private static String hank;

    @BeforeAll
    static void create() throws Exception {
        accounts = new LocalAccounts();
        admins = accounts.group("admins");
        staff = accounts.group("staff");
        erin = accounts.user("erin", "erin pässword", admins, staff);
        frank = accounts.user("frank", "frank-pw", staff);
        gina = accounts.user("gina", "gina-pw", admins);
        accounts.lock(gina);
        hank = accounts.user("hank", "hank-pw", admins);
        accounts.expire(hank);
    }

    @AfterAll
    static void remove() throws Exception {
        if (accounts != null) {
            accounts.close();
        }
    }

    private static Map<String, Object> config(String roleMap) {
        Map<String, Object> c = new HashMap<>();
        c.put("service", accounts.service());
        c.put("role.map", roleMap);
        c.put("group.prefix", "os:");
        return c;
    }

    private static AuthResult logOn(Map<String, Object> config, String user, String password) {
        var x = new PamAuthenticator(config).begin(user, "192.0.2.1:40000");
        assertTrue(PasswordLogon.asksForPassword(x.challenge()));
        return x.verify(Map.of(PasswordLogon.PASSWORD, password.getBytes(StandardCharsets.UTF_8)), new byte[32]);
    }

    @Test
    void aMemberOfAMappedGroupGetsItsRoleAndOthersAreRefused() {
        Map<String, Object> c = config(admins + "=Full access");
        AuthResult ok = logOn(c, erin, "erin pässword");
        assertEquals(Set.of("Full access"), ok.identity().orElseThrow().groups(), ok.failure().orElse(""));
        assertEquals("pam", ok.identity().orElseThrow().method());
        AuthResult outsider = logOn(c, frank, "frank-pw");
        assertTrue(outsider.failure().orElseThrow().contains("is in role.map"), outsider.failure().get());
    }

    @Test
    void wrongPasswordsLockedAndExpiredAccountsAreRefused() {
        Map<String, Object> c = config(admins + "=Full access");
        for (String[] refused : new String[][] {{erin, "Tr0ub4dor&3"}, {gina, "gina-pw"}, {hank, "hank-pw"},
            {"nobody-" + erin, "erin pässword"}}) {
            AuthResult r = logOn(c, refused[0], refused[1]);
            assertFalse(r.granted(), refused[0]);
            assertFalse(r.failure().orElseThrow().contains(refused[1]), "the password in: " + r.failure());
        }
        assertTrue(logOn(c, hank, "hank-pw").failure().orElseThrow().startsWith("account refused"),
                "the account stack refuses an expired account whose password is right");
    }

    @Test
    void withoutAMapTheOsGroupsAreHandedOnWithThePrefix() {
        AuthResult r = logOn(config(""), erin, "erin pässword");
        Set<String> groups = r.identity().orElseThrow().groups();
        assertTrue(groups.contains("os:" + admins) && groups.contains("os:" + staff), groups.toString());
    }

    @Test
    void namesThatAreNoAccountNeverReachPam() {
        PamAuthenticator m = new PamAuthenticator(config(""));
        for (String bad : new String[] {"", "-rf", "a b", "root\n", "x".repeat(65), "../etc"}) {
            assertThrows(IllegalArgumentException.class, () -> m.begin(bad, ""), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new PamAuthenticator(Map.of("service", "../shadow")));
    }
}
