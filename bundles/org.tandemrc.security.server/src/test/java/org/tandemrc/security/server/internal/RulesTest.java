package org.tandemrc.security.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tandemrc.protocol.security.SecurityServerWire.Purpose;
import org.tandemrc.security.server.internal.SecurityStore.Rule;

class RulesTest {

    private static Rules.Target host(String name, String... groups) {
        return new Rules.Target(name, Set.of(groups), Purpose.HOST);
    }

    @Test
    void hostPatternsAreGlobsOnTheWholeNameIgnoringCase() {
        assertTrue(Rules.host("db-*", host("DB-1")));
        assertTrue(Rules.host("db-?", host("db-1")));
        assertFalse(Rules.host("db-?", host("db-12")));
        assertFalse(Rules.host("db", host("db-1")), "a pattern matches the whole name");
        assertTrue(Rules.host("*.lan", host("a.b.lan")));
        assertTrue(Rules.host("*", host("")));
        assertTrue(Rules.host("group:servers", host("x", "servers")));
        assertFalse(Rules.host("group:servers", host("servers")));
        long start = System.nanoTime();
        assertFalse(Rules.host("*a".repeat(60) + "*b", host("a".repeat(128))));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "many stars take no exponential time");
    }

    @Test
    void theConsolePatternIsReservedForConsoleLogons() {
        Rules.Target console = new Rules.Target("desk-1", Set.of(), Purpose.CONSOLE);
        assertTrue(Rules.host(Rules.CONSOLE, console));
        assertFalse(Rules.host("*", console));
        assertFalse(Rules.host(Rules.CONSOLE, host("console")), "a Host named console is not a console logon");
    }

    @Test
    void theFirstMatchingRuleGivesTheRole() {
        List<Rule> rules = List.of(new Rule("user:bob", "*", "Full access"), new Rule("group:ops", "db-*", "View only"),
                new Rule("*", "db-*", "Chat only"));
        assertEquals(Optional.of("Full access"), Rules.role(rules, "bob", Set.of("ops"), host("db-1")));
        assertEquals(Optional.of("View only"), Rules.role(rules, "alice", Set.of("ops"), host("db-1")));
        assertEquals(Optional.of("Chat only"), Rules.role(rules, "carol", Set.of(), host("db-1")));
        assertEquals(Optional.empty(), Rules.role(rules, "carol", Set.of(), host("web-1")));
        assertEquals(Set.of("Full access", "View only", "Chat only"), Rules.possibleRoles(rules, "bob", host("db-1")));
        assertEquals(Set.of("View only", "Chat only"), Rules.possibleRoles(rules, "carol", host("db-1")));
    }

    @Test
    void anAdministratorsRuleIsChecked() {
        assertEquals(new Rule("group:ops", "db-*", "Full access"), Rules.check("group:ops", "db-*", "Full access"));
        assertThrows(IllegalArgumentException.class, () -> Rules.check("ops", "*", "Full access"));
        assertThrows(IllegalArgumentException.class, () -> Rules.check("user:", "*", "Full access"));
        assertThrows(IllegalArgumentException.class, () -> Rules.check("*", "db 1", "Full access"));
        assertThrows(IllegalArgumentException.class, () -> Rules.check("*", "group:", "Full access"));
        assertThrows(IllegalArgumentException.class, () -> Rules.check("*", "*", ""));
    }
}
