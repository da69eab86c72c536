package dev.conductor.core;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** An SVG parsed with the JDK's DOM parser (no DTD, no external entities), and the elements tests look for. */
final class SvgDocument {

    final Document document;

    private SvgDocument(Document document) {
        this.document = document;
    }

    /** Parses the text; throws when it is not well-formed XML with an {@code <svg>} root in the SVG namespace. */
    static SvgDocument parse(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            Document document = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            Element root = document.getDocumentElement();
            if (!root.getLocalName().equals("svg") || !"http://www.w3.org/2000/svg".equals(root.getNamespaceURI())) {
                throw new AssertionError("Not an SVG root: " + root.getTagName());
            }
            return new SvgDocument(document);
        }
        catch (Exception ex) {
            throw new AssertionError("Not well-formed SVG: " + ex.getMessage(), ex);
        }
    }

    /** Every element with the given name that has all the given classes, in document order. */
    List<Element> elements(String name, String... classes) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = document.getElementsByTagNameNS("*", name);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element element = (Element) nodes.item(i);
            if (classesOf(element).containsAll(Arrays.asList(classes))) {
                found.add(element);
            }
        }
        return found;
    }

    /** Every element of any name, for checks such as "no script anywhere". */
    List<String> elementNames() {
        List<String> names = new ArrayList<>();
        NodeList nodes = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < nodes.getLength(); i++) {
            names.add(((Element) nodes.item(i)).getLocalName());
        }
        return names;
    }

    static List<String> classesOf(Element element) {
        String value = element.getAttribute("class");
        return value.isEmpty() ? List.of() : Arrays.asList(value.trim().split("\\s+"));
    }

    static double number(Element element, String attribute) {
        return Double.parseDouble(element.getAttribute(attribute));
    }

    /** The text of the element's {@code <title>} child: its tooltip. */
    static String tooltip(Element element) {
        NodeList titles = element.getElementsByTagNameNS("*", "title");
        return titles.getLength() == 0 ? null : titles.item(0).getTextContent();
    }

    /** The component a bar or box belongs to: its tooltip up to the first {@code ": tier"}. */
    static String component(Element element) {
        String tooltip = tooltip(element);
        return tooltip.substring(0, tooltip.indexOf(": tier"));
    }

    /** The visible text of a text element, without its tooltip. */
    static String visibleText(Element text) {
        StringBuilder visible = new StringBuilder();
        for (org.w3c.dom.Node child = text.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == org.w3c.dom.Node.TEXT_NODE) {
                visible.append(child.getNodeValue());
            }
        }
        return visible.toString();
    }
}
