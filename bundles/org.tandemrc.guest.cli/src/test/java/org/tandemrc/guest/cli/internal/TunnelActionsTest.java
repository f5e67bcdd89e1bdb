package org.tandemrc.guest.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tandemrc.guest.cli.internal.TunnelActions.Forward;

class TunnelActionsTest {

    @Test
    void aForwardingListensOnLoopbackUnlessItNamesWhere() {
        assertEquals(new Forward("127.0.0.1", 8080, "localhost", 80), Forward.parse("8080:localhost:80"));
        assertEquals(new Forward("0.0.0.0", 0, "db.example", 5432), Forward.parse("0.0.0.0:0:db.example:5432"));
        assertEquals(new Forward("::1", 9000, "fe80::1", 22), Forward.parse("[::1]:9000:[fe80::1]:22"));
        assertEquals("[fe80::1]:22", Forward.parse("9000:[fe80::1]:22").where());
        assertEquals(List.of(new Forward("127.0.0.1", 1, "a", 2), new Forward("127.0.0.1", 3, "b", 4),
                new Forward("127.0.0.1", 5, "c", 6)), TunnelActions.forwards("1:a:2, 3:b:4,5:c:6"));
        assertEquals(List.of(), TunnelActions.forwards(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "80", "80:web", "8080:web:0", "8080:web:65536", "70000:web:80", "x:web:80",
        "a:b:c:d:e", "8080::80", "[::1:9000:web:80", "[::1]x:9000:web:80", "8080:web:80:"})
    void anythingElseIsAUsageError(String spec) {
        assertThrows(IllegalArgumentException.class, () -> Forward.parse(spec));
    }
}
