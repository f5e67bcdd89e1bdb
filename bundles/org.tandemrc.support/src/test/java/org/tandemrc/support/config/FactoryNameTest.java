package org.tandemrc.support.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FactoryNameTest {

    private static final String PID = "org.tandemrc.profile";

    @Test
    void theNameKeyWinsThenTheFileThenTheGeneratedPid() {
        Map<String, Object> fromFile = Map.of("felix.fileinstall.filename", "file:/x/etc/org.tandemrc.profile-lan.cfg",
                "service.pid", "org.tandemrc.profile~abc");
        assertEquals("office", FactoryName.of(PID, " office ", fromFile));
        assertEquals("lan", FactoryName.of(PID, "", fromFile));
        assertEquals("lan", FactoryName.of(PID, null, fromFile));
        assertEquals("org.tandemrc.profile~abc", FactoryName.of(PID, null, Map.of("service.pid", "org.tandemrc.profile~abc")));
    }

    @Test
    void aFileOfAnotherFactoryDoesNotNameTheInstance() {
        assertEquals("", FactoryName.fromFile(PID, "file:/x/etc/org.tandemrc.gateway.group-lan.cfg"));
        assertEquals("wan", FactoryName.fromFile("org.tandemrc.gateway.group", "file:/x/etc/org.tandemrc.gateway.group-wan.config"));
        assertEquals("org.tandemrc.gateway.group~1", FactoryName.of(PID, null, Map.of(
                "felix.fileinstall.filename", "file:/x/etc/other.cfg", "service.pid", "org.tandemrc.gateway.group~1")));
    }
}
