package org.tandemrc.support.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class GroupRolesTest {

    @Test
    void theFirstMappedGroupInTheOrderWrittenGivesTheOneRole() {
        GroupRoles map = GroupRoles.parse(" tandem-admins=Full access, helpdesk = View only ");
        assertEquals(Optional.of(Set.of("Full access")), map.identityGroups(List.of("helpdesk", "tandem-admins"), "x:"));
        assertEquals(Optional.of(Set.of("View only")), map.identityGroups(List.of("staff", "helpdesk"), "x:"));
        assertEquals(Optional.empty(), map.identityGroups(List.of("staff"), "x:"), "an outsider has no role");
        assertEquals(Optional.empty(), map.identityGroups(List.of(), "x:"));
    }

    @Test
    void withoutAMapEveryGroupIsHandedOnWithItsPrefix() {
        GroupRoles none = GroupRoles.parse("  ");
        assertTrue(none.isEmpty());
        assertEquals(Optional.of(Set.of("ldap:a", "ldap:b")), none.identityGroups(List.of("a", "b"), "ldap:"));
    }

    @Test
    void malformedMapsAreRefused() {
        for (String bad : List.of("admins", "=Full access", "admins=", "a=X, a=Y", "a=X,,b=Y")) {
            assertThrows(IllegalArgumentException.class, () -> GroupRoles.parse(bad), bad);
        }
    }
}
