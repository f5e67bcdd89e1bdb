package org.tandemrc.log.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.Severity;

class LineFormatTest {

    private static AuditEvent event(String node, String peer, String user) {
        return new AuditEvent(Instant.parse("2008-09-03T14:10:00Z"), "HSESRC+", Severity.INFO, node, peer, user,
                "");
    }

    private static String[] columns(LineFormat format, AuditEvent event) {
        return format.format(event).split("\t", -1);
    }

    @Test
    void hostExpandsTheReferenceExample() {
        LineFormat format = new LineFormat(LineFormat.Role.HOST, "%C+%L", "%U@%A", "User1");
        String[] f = columns(format, event("Host1", "192.168.1.2:6502", "User2"));
        assertEquals("2008-09-03T14:10:00Z", f[0]);
        assertEquals("Host1+User1", f[3]);
        assertEquals("User2@192.168.1.2", f[4]);
        assertEquals("User2", f[5]);
    }

    /**
     * The own-name and peer columns: the Guest uses the Guest pattern for its own name; placeholders that do
     * not apply stay as typed (the peer's logon user is unknown and a peer given by name has no address);
     * no pattern writes the names as given.
     */
    static Stream<Arguments> namePatterns() {
        return Stream.of(
                Arguments.of(LineFormat.Role.GUEST, "%C (%A)", "%U on %C/%I", "osuser",
                        event("guest7", "[2001:db8::1]:6502", "alice"), "alice on guest7/guest7",
                        "[2001:db8::1]:6502 (2001:db8::1)"),
                Arguments.of(LineFormat.Role.HOST, "%U %X 100%% %", "%L|%A|%Q", "me", event("h", "guest-pc", "bob"),
                        "%U %X 100% %", "||%Q"),
                Arguments.of(LineFormat.Role.HOST, "", null, "me", event("h", "10.0.0.1:1", "bob"), "h", "10.0.0.1:1"));
    }

    @ParameterizedTest
    @MethodSource("namePatterns")
    void theNameColumnsFollowThePatterns(LineFormat.Role role, String hostPattern, String guestPattern,
            String logonUser, AuditEvent event, String own, String peer) {
        String[] f = columns(new LineFormat(role, hostPattern, guestPattern, logonUser), event);
        assertEquals(own, f[3]);
        assertEquals(peer, f[4]);
    }

    @Test
    void expandedNamesAreCleanedToo() {
        LineFormat format = new LineFormat(LineFormat.Role.HOST, "%C", "%C\t%U", "me");
        String[] f = columns(format, event("h", "x\ny", "u\tv"));
        assertEquals(7, f.length);
        assertEquals("x\\ny\\tu\\tv", f[4]);
    }

    /** The address column keeps an IP or MAC address without its port, and leaves a host name out. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            192.0.2.7:6502     | 192.0.2.7
            192.0.2.7          | 192.0.2.7
            [::1]:6502         | ::1
            fe80::1%eth0       | fe80::1%eth0
            00:1A:2b:3c:4d:5e  | 00:1A:2b:3c:4d:5e
            guest-pc           | ''
            guest-pc:6502      | ''
            ''                 | ''
            """)
    void addresses(String peer, String column) {
        assertEquals(column, LineFormat.address(peer));
    }

    @Test
    void role() {
        assertEquals(LineFormat.Role.GUEST, LineFormat.Role.of("Guest"));
        assertEquals(LineFormat.Role.HOST, LineFormat.Role.of("host"));
        assertEquals(LineFormat.Role.HOST, LineFormat.Role.of(null));
    }
}
