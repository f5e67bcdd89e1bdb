package org.tandemrc.phonebook.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.phonebook.PhonebookException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.tandemrc.support.text.Markup;

/**
 * A phonebook record file (.dwc): XML, one element per field of the CSV syntax except the folder,
 * which is where the file lies. Passwords are sealed ({@code ENCRYPTED:}); the root's {@code keys}
 * attribute says under what: {@code local} (this phonebook's key) or {@code passphrase}.
 */
final class Dwc {

    /** The element names, in CSV order after the folder. */
    static final List<String> ELEMENTS = List.of("description", "phone-number", "name", "comment", "profile",
            "host-logon", "host-password", "host-domain", "gateway-logon", "gateway-password", "gateway-domain",
            "protect-password", "wake-on-lan-mac", "credential-flags", "custom-app-description", "custom-app-command");
    static final Set<String> PASSWORDS = Set.of("host-password", "gateway-password", "protect-password");
    static final String ROOT = "phonebook-record";
    private static final int MAX_BYTES = 256 * 1024;

    private Dwc() {
    }

    /** The file's text for a record whose passwords {@code secrets} seals. */
    static String write(Entry e, Secrets secrets, String keys) {
        String[] f = e.fields();
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append('<').append(ROOT).append(" version=\"1\" keys=\"").append(keys).append("\">\n");
        for (int i = 0; i < ELEMENTS.size(); i++) {
            String name = ELEMENTS.get(i);
            String value = f[i + 1];
            if (PASSWORDS.contains(name)) {
                if (secrets == null) {
                    continue;
                }
                value = secrets.seal(name, value);
            }
            b.append("  <").append(name).append('>').append(Markup.escape(value)).append("</").append(name).append(">\n");
        }
        return b.append("</").append(ROOT).append(">\n").toString();
    }

    /** The record of a file's text, in {@code folder}; {@code secrets} opens its passwords. */
    static Entry read(String folder, String xml, Secrets secrets) throws PhonebookException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BYTES) {
            throw new PhonebookException("a record file of " + bytes.length + " bytes; at most " + MAX_BYTES);
        }
        Document doc;
        try {
            doc = parser().parse(new ByteArrayInputStream(bytes));
        } catch (SAXException | java.io.IOException e) {
            throw new PhonebookException("not a phonebook record file: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals(ROOT)) {
            throw new PhonebookException("not a phonebook record file: its root is <" + root.getTagName() + ">");
        }
        String[] f = new String[Entry.FIELDS];
        f[0] = folder;
        for (int i = 1; i < f.length; i++) {
            f[i] = "";
        }
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                int i = ELEMENTS.indexOf(el.getTagName());
                if (i < 0) {
                    continue; // a newer version's field: kept out, not an error
                }
                String value = el.getTextContent();
                if (PASSWORDS.contains(el.getTagName()) && !value.isEmpty()) {
                    if (secrets == null) {
                        throw new PhonebookException("the record's passwords need the passphrase it was exported with");
                    }
                    value = secrets.open(el.getTagName(), value);
                }
                f[i + 1] = value;
            }
        }
        return Entry.fromFields(f);
    }

    /** The {@code keys} attribute of a file's text, without reading the rest ("" when absent). */
    static String keys(String xml) throws PhonebookException {
        try {
            return parser().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement().getAttribute("keys");
        } catch (SAXException | java.io.IOException e) {
            throw new PhonebookException("not a phonebook record file: " + e.getMessage());
        }
    }

    private static DocumentBuilder parser() throws PhonebookException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // No DOCTYPE, no entities, nothing fetched: a record file is plain data.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // errors throw, nothing printed
            return b;
        } catch (ParserConfigurationException e) {
            throw new PhonebookException("no XML parser: " + e.getMessage(), e);
        }
    }
}
