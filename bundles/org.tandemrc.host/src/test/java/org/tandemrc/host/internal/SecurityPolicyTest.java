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
    void badValuesNameTheirKeyAndWhatIsAllowed() {
        assertEquals("max.attempts=12 is outside 0..9", assertThrows(IllegalArgumentException.class,
                () -> SecurityPolicy.from(Map.of("max.attempts", "12"))).getMessage());
        assertEquals("attempts.action=explode: use disconnect, disable or lockout",
                assertThrows(IllegalArgumentException.class,
                        () -> SecurityPolicy.from(Map.of("attempts.action", "explode"))).getMessage());
        assertEquals("method=LDAP!: use shared-password, guest-id or the name of an installed access method"
                + " (a-z, 0-9, '.', '-')", assertThrows(IllegalArgumentException.class,
                () -> SecurityPolicy.from(Map.of("method", "LDAP!"))).getMessage());
        assertEquals("ldap", SecurityPolicy.from(Map.of("method", "ldap")).method(),
                "a third party's method is named by its Authenticator service, installed or not yet");
        assertEquals("allow: 'example.org' is not an IP address or range", assertThrows(
                IllegalArgumentException.class, () -> SecurityPolicy.from(Map.of("allow", "example.org"))).getMessage());
        assertEquals("allow: '10.0.0.0/40' has a prefix outside 0..32", assertThrows(IllegalArgumentException.class,
                () -> SecurityPolicy.from(Map.of("allow", "10.0.0.0/40"))).getMessage());
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
