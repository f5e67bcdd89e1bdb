package org.tandemrc.api.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.TandemDeviceType;
import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.session.TandemSessionType;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.TandemToolId;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import aQute.bnd.osgi.Resource;

/**
 * Each component property type sets exactly the service property the platform filters on: bnd, as a
 * plugin's build runs it, writes the components below into DS descriptions, and those are read back.
 */
class PropertyTypesTest {

    @Component(service = Object.class)
    @TandemToolId("a-tool")
    public static class Tool {
    }

    @Component(service = Object.class)
    @TandemSessionType("a-session")
    public static class Session {
    }

    @Component(service = Object.class)
    @TandemDeviceType("a-device")
    public static class Device {
    }

    @Test
    void eachPropertyTypeSetsThePropertyThePlatformReads() throws Exception {
        try (Builder b = new Builder()) {
            b.addClasspath(new File("target/test-classes"));
            b.addClasspath(new File("target/classes"));
            b.setProperty("Private-Package", PropertyTypesTest.class.getPackageName());
            b.setProperty("-dsannotations", "*");
            try (Jar jar = b.build()) {
                assertTrue(b.getErrors().isEmpty(), b.getErrors().toString());
                assertEquals("<property name=\"" + RemoteTool.ID_PROPERTY + "\" type=\"String\" value=\"a-tool\"/>",
                        property(jar, Tool.class));
                assertEquals("<property name=\"" + SessionType.ID_PROPERTY
                        + "\" type=\"String\" value=\"a-session\"/>", property(jar, Session.class));
                assertEquals("<property name=\"" + CommunicationDevice.TYPE_PROPERTY
                        + "\" type=\"String\" value=\"a-device\"/>", property(jar, Device.class));
            }
        }
    }

    /** The one property line of the component's description. */
    private static String property(Jar jar, Class<?> component) throws Exception {
        Resource r = jar.getResource("OSGI-INF/" + component.getName() + ".xml");
        assertNotNull(r, "no DS description for " + component.getName() + ": " + jar.getResources().keySet());
        String xml = new String(r.openInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return xml.lines().map(String::trim).filter(l -> l.startsWith("<property ")).reduce((x, y) -> x + y)
                .orElse("(none) " + xml);
    }
}
