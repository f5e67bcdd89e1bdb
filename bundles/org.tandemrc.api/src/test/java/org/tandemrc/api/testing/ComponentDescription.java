package org.tandemrc.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Declarative Services description bnd generated for a component class ({@code OSGI-INF/NAME.xml} in
 * the module's classes): what the framework will register, checked in a unit test before any framework
 * runs.
 */
final class ComponentDescription {

    final List<String> services = new ArrayList<>();
    final Map<String, String> properties = new HashMap<>();

    private ComponentDescription() {
    }

    /** The description of the component named after {@code type}, the DS default. */
    static ComponentDescription of(Class<?> type) throws Exception {
        String path = "OSGI-INF/" + type.getName() + ".xml";
        URL url = type.getClassLoader().getResource(path);
        assertNotNull(url, "no " + path + ": is " + type.getName() + " a DS @Component of its bundle?");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc;
        try (InputStream in = url.openStream()) {
            doc = f.newDocumentBuilder().parse(in);
        }
        ComponentDescription d = new ComponentDescription();
        NodeList provides = doc.getElementsByTagName("provide");
        for (int i = 0; i < provides.getLength(); i++) {
            d.services.add(((Element) provides.item(i)).getAttribute("interface"));
        }
        NodeList properties = doc.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element p = (Element) properties.item(i);
            d.properties.put(p.getAttribute("name"), p.getAttribute("value"));
        }
        return d;
    }

    /** Asserts the component is registered as {@code service} with {@code property=value}. */
    void assertRegisters(Class<?> service, String property, String value) {
        assertTrue(services.contains(service.getName()),
                "the component is not registered as " + service.getName() + ": " + services);
        assertEquals(value, properties.get(property), "service property " + property
                + " (a component property type such as @TandemToolId sets it to the id)");
    }
}
