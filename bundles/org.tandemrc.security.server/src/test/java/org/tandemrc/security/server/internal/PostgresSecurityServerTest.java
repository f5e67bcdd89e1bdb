package org.tandemrc.security.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.testing.Postgres;
import org.tandemrc.protocol.security.SecurityServerWire;
import org.tandemrc.protocol.security.SecurityServerWire.LogonVerdict;
import org.tandemrc.security.server.internal.SecurityServerTest.Logon;
import org.tandemrc.security.server.internal.SecurityStore.Rule;
import org.tandemrc.support.otp.Totp;

/** The same store on a real PostgreSQL, shared by two Security Servers as a deployment with several does. */
class PostgresSecurityServerTest {

    @Test
    void twoSecurityServersOnOnePostgresqlShareGuestIdsRulesNodesAndSpentCodes() throws Exception {
        try (Postgres pg = Postgres.start();
                ServerFixture a = new ServerFixture(pg.jdbcUrl(), Map.of("database.user", "postgres", "name", "ss-a"));
                ServerFixture b = new ServerFixture(pg.jdbcUrl(), Map.of("database.user", "postgres", "name", "ss-b"))) {
            a.guest("alice", "correct horse", "ops");
            a.server.store.addRule(0, new Rule("user:nobody", "*", "View only"));
            a.server.store.addRule(1, new Rule("group:ops", "host-*", "Full access"));
            assertEquals(List.of(new Rule("group:ops", "host-*", "Full access"), new Rule("user:nobody", "*", "View only")),
                    b.server.store.rules());

            ServerFixture.Node toA = a.approved("host-1");
            ServerFixture.Node toB = b.connect(toA.key(), "host-1");
            assertEquals(SecurityServerWire.WELCOME, toB.next().type(), "a key approved through one server is known to both");
            LogonVerdict viaA = new Logon(toA, "alice", "correct horse").run(null);
            LogonVerdict viaB = new Logon(toB, "alice", "correct horse").run(null);
            assertTrue(viaA.granted(), viaA.failure().orElse(""));
            assertTrue(viaB.granted(), viaB.failure().orElse(""));
            assertEquals("Full access", viaB.role().orElseThrow());
            assertFalse(new Logon(toB, "alice", "wrong").run(null).granted());

            Totp totp = Totp.of(Totp.newSecret(ServerFixture.RANDOM));
            b.server.store.enrol("alice", Totp.base32(totp.secret()));
            a.server.store.require("alice", true);
            String code = totp.code(Totp.step(Instant.now().getEpochSecond()));
            assertTrue(new Logon(toA, "alice", "correct horse").run(code).granted());
            assertFalse(new Logon(toB, "alice", "correct horse").run(code).granted(), "a code spent on one server is spent on both");
            // Two servers checking the same code at once: the conditional update lets one of them spend it.
            long later = Totp.step(Instant.now().getEpochSecond()) + 10;
            assertTrue(a.server.store.spend("alice", later));
            assertFalse(b.server.store.spend("alice", later));

            toA.send(new SecurityServerWire.NameRegister("host-1", List.of("tcp:10.0.0.5:6502")).message());
            ServerFixture.Node guest = b.approved("guest-1");
            List<String> found = List.of();
            for (int i = 0; i < 50 && found.isEmpty(); i++) {
                guest.send(new SecurityServerWire.NameResolve("q" + i, "host-1").message());
                found = SecurityServerWire.NameAnswer.of(guest.next()).addresses();
            }
            assertEquals(List.of("tcp:10.0.0.5:6502"), found);

            assertTrue(b.server.store.removeRule(1));
            assertEquals(List.of(new Rule("user:nobody", "*", "View only")), a.server.store.rules());
            b.server.store.disableGuest("alice", true);
            assertTrue(a.server.store.guest("alice").orElseThrow().disabled());
            assertTrue(a.server.store.deleteGuest("alice"));
            assertTrue(b.server.store.otp("alice").isEmpty());
        }
    }
}
