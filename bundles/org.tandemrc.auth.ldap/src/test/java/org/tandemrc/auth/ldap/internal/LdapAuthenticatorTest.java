package org.tandemrc.auth.ldap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemrc.api.security.AuthResult;
import org.tandemrc.auth.ldap.testing.Slapd;
import org.tandemrc.protocol.logon.PasswordLogon;

/**
 * The method against a real OpenLDAP ({@link Slapd}): binds as the user, by template or after a search,
 * over LDAP, LDAPS and StartTLS; groups from memberOf or a group search; the role map; locked accounts,
 * unknown names and names that try to change the DN or the filter are refused.
 */
class LdapAuthenticatorTest {

    @TempDir
    static Path dir;
    private static Slapd slapd;

    @BeforeAll
    static void start() throws Exception {
        slapd = Slapd.start(dir.resolve("slapd"));
        slapd.loadPeople();
    }

    @AfterAll
    static void stop() {
        if (slapd != null) {
            slapd.close();
        }
    }

    private static Map<String, Object> template() {
        Map<String, Object> c = new HashMap<>();
        c.put("url", slapd.url());
        c.put("user.dn", "uid={0}," + Slapd.PEOPLE);
        c.put("role.map", "tandem-admins=Full access, helpdesk=View only");
        return c;
    }

    private static Map<String, Object> search() {
        Map<String, Object> c = new HashMap<>();
        c.put("url", slapd.url());
        c.put("user.base", Slapd.PEOPLE);
        c.put("bind.dn", Slapd.READER_DN);
        c.put("bind.password", "reader-pw");
        c.put("group.attribute", "");
        c.put("group.base", Slapd.GROUPS);
        c.put("group.prefix", "ldap:");
        return c;
    }

    private static AuthResult logOn(Map<String, Object> config, String user, String password) {
        LdapAuthenticator m = new LdapAuthenticator(config);
        var x = m.begin(user, "192.0.2.1:40000");
        assertTrue(PasswordLogon.asksForPassword(x.challenge()));
        return x.verify(Map.of(PasswordLogon.PASSWORD, password.getBytes(StandardCharsets.UTF_8)), new byte[32]);
    }

    private static void refused(Map<String, Object> config, String user, String password) {
        AuthResult r = logOn(config, user, password);
        assertFalse(r.granted(), user + " was let in");
        assertFalse(r.failure().orElseThrow().contains(password), "the password in: " + r.failure());
    }

    @Test
    void aGroupMemberGetsTheMappedRoleAndEveryoneElseIsRefused() {
        Map<String, Object> c = template();
        AuthResult alice = logOn(c, "alice", "alice-pw");
        assertEquals(Set.of("Full access"), alice.identity().orElseThrow().groups(), alice.failure().orElse(""));
        assertEquals("ldap", alice.identity().orElseThrow().method());
        assertEquals(Set.of("View only"), logOn(c, "bob", "bob-pw").identity().orElseThrow().groups());
        AuthResult carol = logOn(c, "carol", "carol-pw");
        assertEquals("no group of [staff] is in role.map", carol.failure().orElseThrow());
        refused(c, "alice", "bob-pw");
        refused(c, "zed", "zed-pw");
        AuthResult dave = logOn(c, "dave", "dave-pw");
        assertFalse(dave.granted(), "a locked account is refused with its right password");
        assertTrue(dave.failure().orElseThrow().startsWith("the directory refused the bind"), dave.failure().get());
    }

    @Test
    void aNameCannotAddToTheDnOrTheFilter() {
        // uid=admin,ou=x,ou=people exists with password admin-pw: an unescaped name would bind as it.
        refused(template(), "admin,ou=x", "admin-pw");
        refused(template(), "admin\\,ou=x", "admin-pw");
        for (String name : List.of("*", "*)(uid=*", "alice)(|(uid=*", "a*")) {
            refused(search(), name, "alice-pw");
            refused(template(), name, "alice-pw");
        }
        assertThrows(IllegalArgumentException.class, () -> new LdapAuthenticator(template()).begin("al\nice", ""));
        assertThrows(IllegalArgumentException.class, () -> new LdapAuthenticator(template()).begin("", ""));
    }

    @Test
    void aServiceAccountFindsTheUserAndTheGroupsWithoutAMapKeepTheirPrefix() {
        Map<String, Object> c = search();
        assertEquals(Set.of("ldap:tandem-admins", "ldap:staff"), logOn(c, "alice", "alice-pw").identity().orElseThrow()
                .groups());
        assertEquals(Set.of("ldap:staff"), logOn(c, "carol", "carol-pw").identity().orElseThrow().groups());
        assertEquals("unknown user", logOn(c, "zed", "zed-pw").failure().orElseThrow());
        refused(c, "alice", "Tr0ub4dor&3");
        refused(c, "dave", "dave-pw");
        c.put("bind.password", "not the reader's");
        assertTrue(logOn(c, "alice", "alice-pw").failure().orElseThrow().startsWith("the directory cannot be used"));
    }

    @Test
    void ldapsTrustsTheConfiguredCaAndChecksTheName() {
        Map<String, Object> c = template();
        c.put("url", "ldaps://localhost:" + slapd.ldapsPort());
        c.put("ca.file", slapd.caFile().toString());
        assertEquals(Set.of("Full access"), logOn(c, "alice", "alice-pw").identity().orElseThrow().groups());
        refused(c, "alice", "Tr0ub4dor&3");
        c.put("url", "ldaps://127.0.0.1:" + slapd.ldapsPort());
        AuthResult wrongName = logOn(c, "alice", "alice-pw");
        assertTrue(wrongName.failure().orElseThrow().startsWith("the directory cannot be used"), wrongName.toString());
        c.put("url", "ldaps://localhost:" + slapd.ldapsPort());
        c.remove("ca.file");
        assertFalse(logOn(c, "alice", "alice-pw").granted(), "a certificate no trusted CA signed");
    }

    @Test
    void startTlsProtectsTheBind() {
        Map<String, Object> c = template();
        c.put("url", "ldap://localhost:" + slapd.url().substring(slapd.url().lastIndexOf(':') + 1));
        c.put("starttls", "true");
        c.put("ca.file", slapd.caFile().toString());
        assertEquals(Set.of("Full access"), logOn(c, "alice", "alice-pw").identity().orElseThrow().groups());
        refused(c, "alice", "Tr0ub4dor&3");
        c.put("url", slapd.url()); // 127.0.0.1: not the certificate's name
        assertFalse(logOn(c, "alice", "alice-pw").granted());
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheirKey() {
        Map<String, Object> c = template();
        c.put("url", "http://x");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LdapAuthenticator(c)).getMessage()
                .contains("url=http://x"));
        Map<String, Object> d = template();
        d.put("role.map", "admins");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LdapAuthenticator(d)).getMessage()
                .contains("role.map"));
        Map<String, Object> e = template();
        e.remove("user.dn");
        assertThrows(IllegalArgumentException.class, () -> new LdapAuthenticator(e));
    }
}
