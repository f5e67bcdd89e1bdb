package org.tandemrc.host.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.security.Role;

class SecurityPolicyTest {

    @Test
    void defaultsWhenNothingIsConfigured() {
        SecurityPolicy p = SecurityPolicy.from(Map.of());
        assertEquals("shared-password", p.method());
        assertEquals(3, p.maxAttempts());
        assertEquals(SecurityPolicy.Action.DISCONNECT, p.action());
        assertTrue(p.allows("203.0.113.9:5000"), "an empty allow list allows every address");
    }

    @Test
    void theAllowListMatchesAddressesAndRanges() {
        SecurityPolicy p = SecurityPolicy.from(Map.of("allow", "127.0.0.1, 10.1.0.0/16, ::1"));
        assertTrue(p.allows("127.0.0.1:40000"));
        assertTrue(p.allows("10.1.200.3:1"));
        assertFalse(p.allows("10.2.0.1:1"));
        assertTrue(p.allows("[::1]:6502"));
        assertFalse(p.allows("127.0.0.2:1"));
        assertFalse(p.allows("[::2]:6502"));
    }

    @Test
    void badValuesAreRefusedInTheOneStyleNamingPidKeyAndValue() {
        assertEquals("org.tandemrc.host.security: max.attempts=12 is outside 0..9", refusal(Map.of("max.attempts", "12")));
        assertEquals("org.tandemrc.host.security: auth.timeout=soon is not a whole number",
                refusal(Map.of("auth.timeout", "soon")));
        assertEquals("org.tandemrc.host.security: attempts.action=explode is not disconnect, disable or lockout",
                refusal(Map.of("attempts.action", "explode")));
        assertEquals("org.tandemrc.host.security: method=LDAP! is not shared-password, guest-id or the name of an "
                + "installed access method (a-z, 0-9, '.', '-')", refusal(Map.of("method", "LDAP!")));
        assertEquals("ldap", SecurityPolicy.from(Map.of("method", "ldap")).method(),
                "a third party's method is named by its Authenticator service, installed or not yet");
        assertEquals("org.tandemrc.host.security: allow=example.org is not an IP address or range",
                refusal(Map.of("allow", "example.org")));
        assertEquals("org.tandemrc.host.security: allow=10.0.0.0/40 has a prefix outside 0..32",
                refusal(Map.of("allow", "10.0.0.0/40")));
        assertTrue(refusal(Map.of("logon.address.hour", "many")).startsWith("org.tandemrc.host.security: logon.address.hour=many"));
        assertEquals("org.tandemrc.host.security: fallback=maybe is not refuse or local", refusal(Map.of("fallback", "maybe")));
        assertEquals("org.tandemrc.host.security: fallback.method=ldap is not guest-id or shared-password",
                refusal(Map.of("fallback", "local", "fallback.method", "ldap")));
        assertEquals(java.util.Optional.empty(), SecurityPolicy.defaults().fallback(), "refuse by default");
        assertEquals(java.util.Optional.of("shared-password"), SecurityPolicy.from(Map.of("fallback", "local",
                "fallback.method", "shared-password")).fallback());
    }

    @Test
    void oldHyphenatedKeysAreStillReadAndTheDottedOneWins() {
        SecurityPolicy old = SecurityPolicy.from(Map.of("max-attempts", "5", "attempts-action", "lockout",
                "inactivity-timeout", "15"));
        assertEquals(5, old.maxAttempts());
        assertEquals(SecurityPolicy.Action.LOCKOUT, old.action());
        assertEquals(15, old.inactivityMinutes());
        assertEquals(7, SecurityPolicy.from(Map.of("max-attempts", "5", "max.attempts", "7")).maxAttempts());
        assertEquals("org.tandemrc.host.security: max.attempts=10 is outside 0..9", refusal(Map.of("max-attempts", "10")),
                "an old spelling is checked as its dotted key");
    }

    private static String refusal(Map<String, ?> config) {
        return assertThrows(IllegalArgumentException.class, () -> SecurityPolicy.from(config)).getMessage();
    }

    @Test
    void builtInAndCustomRoles() {
        Role view = Roles.builtIn().get("View only");
        assertEquals(EnumSet.of(Privilege.VIEW_SCREEN), view.privileges());
        assertFalse(view.allows(EnumSet.of(Privilege.CHAT)));
        Role helpdesk = Roles.parse(Map.of("name", "Helpdesk", "privileges", "chat, send-message",
                "confirm.access", "true"), "x");
        assertEquals(EnumSet.of(Privilege.CHAT, Privilege.SEND_MESSAGE), helpdesk.privileges());
        assertTrue(helpdesk.confirmAccess());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Roles.parse(Map.of("privileges", "fly"), "pilot")).getMessage()
                .startsWith("role 'pilot': unknown privilege 'fly'"));
    }
}
