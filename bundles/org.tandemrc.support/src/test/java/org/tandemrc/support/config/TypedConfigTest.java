package org.tandemrc.support.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypedConfigTest {

    enum Mode { FAST, SAFE }

    @interface Sample {
        String name() default "node";
        int idle_timeout() default 90;
        long max_queue() default 16;
        boolean tls() default false;
        String[] allow() default {};
        Mode mode() default Mode.SAFE;
        String under__score() default "";
    }

    private static final String PID = "org.tandemrc.sample";

    @Test
    void defaultsWhenNothingIsConfigured() {
        Sample s = TypedConfig.of(Sample.class, PID, null);
        assertEquals("node", s.name());
        assertEquals(90, s.idle_timeout());
        assertEquals(Mode.SAFE, s.mode());
        assertEquals(0, s.allow().length);
    }

    @Test
    void dottedKeysConvertFromTextAsConfigAdminFilesHoldThem() {
        Sample s = TypedConfig.of(Sample.class, PID, Map.of("idle.timeout", " 30 ", "max.queue", "4096",
                "tls", "TRUE", "allow", "a, b,,c", "mode", "fast", "under_score", "u", "name", " "));
        assertEquals(30, s.idle_timeout());
        assertEquals(4096L, s.max_queue());
        assertTrue(s.tls());
        assertArrayEquals(new String[] {"a", "b", "c"}, s.allow());
        assertEquals(Mode.FAST, s.mode());
        assertEquals("u", s.under__score());
        assertEquals("node", s.name(), "a blank value means the default");
    }

    @Test
    void typedValuesAndCollectionsAreTakenAsTheyCome() {
        Sample s = TypedConfig.of(Sample.class, PID, Map.of("idle.timeout", 12L, "allow", List.of("x", "y"),
                "tls", Boolean.TRUE));
        assertEquals(12, s.idle_timeout());
        assertArrayEquals(new String[] {"x", "y"}, s.allow());
        assertTrue(s.tls());
    }

    @Test
    void theOldHyphenatedSpellingIsStillReadAndTheDottedOneWins() {
        assertEquals(45, TypedConfig.of(Sample.class, PID, Map.of("idle-timeout", "45")).idle_timeout());
        assertEquals(46, TypedConfig.of(Sample.class, PID, Map.of("idle-timeout", "45", "idle.timeout", "46"))
                .idle_timeout());
    }

    @Test
    void theOldCamelCaseSpellingIsStillRead() {
        assertEquals(44, TypedConfig.of(Sample.class, PID, Map.of("idleTimeout", "44")).idle_timeout());
        assertEquals(List.of("host-name-pattern", "hostNamePattern"), TypedConfig.oldSpellings("host.name.pattern"));
        assertEquals(List.of(), TypedConfig.oldSpellings("tls"));
    }

    @Test
    void aValueThatDoesNotConvertIsRefusedNamingPidKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypedConfig.of(Sample.class, PID, Map.of("idle-timeout", "soon")));
        assertEquals("org.tandemrc.sample: idle.timeout=soon is not a whole number", e.getMessage());
        assertEquals(false, TypedConfig.of(Sample.class, PID, Map.of("tls", "yes")).tls(),
                "as Declarative Services converts: anything but true is false");
    }

    @Test
    void arraysHandedOutAreCopies() {
        Sample s = TypedConfig.of(Sample.class, PID, Map.of("allow", "a"));
        s.allow()[0] = "changed";
        assertEquals("a", s.allow()[0]);
    }

    @ParameterizedTest
    @CsvSource({"logon_max_attempts, logon.max.attempts", "a__b, a_b", "a$_$b, a-b", "a$$b, a$b", "a$b, ab"})
    void keysFollowTheDeclarativeServicesNamingRules(String method, String key) {
        assertEquals(key, TypedConfig.key(method));
    }

    @Test
    void theSettingsCheckWordsEveryRefusalTheSameWay() {
        SettingsCheck check = new SettingsCheck("org.tandemrc.gateway");
        assertEquals(600, check.range("logon.timeout", 600, 1, 600));
        assertEquals("org.tandemrc.gateway: logon.timeout=601 is outside 1..600",
                assertThrows(IllegalArgumentException.class, () -> check.range("logon.timeout", 601, 1, 600)).getMessage());
        assertEquals("org.tandemrc.gateway: max.queue=1 is outside 2097152..1073741824",
                assertThrows(IllegalArgumentException.class,
                        () -> check.range("max.queue", 1L, 2L << 20, 1L << 30)).getMessage());
    }
}
