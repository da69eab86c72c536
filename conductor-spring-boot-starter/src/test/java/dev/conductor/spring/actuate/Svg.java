package dev.conductor.spring.actuate;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Parses the endpoint's pictures with the JDK's DOM parser and finds their bars and boxes. */
final class Svg {

    private Svg() {
    }

    static Document parse(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
            if (!"svg".equals(document.getDocumentElement().getLocalName())) {
                throw new AssertionError("Not an SVG document: " + svg);
            }
            return document;
        }
        catch (Exception ex) {
            throw new AssertionError("Not well-formed SVG: " + ex.getMessage(), ex);
        }
    }

    /** The tooltips of the elements with this name and class, in document order. */
    static List<String> tooltips(Document svg, String name, String cssClass) {
        List<String> tooltips = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagNameNS("*", name);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element element = (Element) nodes.item(i);
            if (Arrays.asList(element.getAttribute("class").split(" ")).contains(cssClass)) {
                NodeList titles = element.getElementsByTagNameNS("*", "title");
                tooltips.add(titles.getLength() == 0 ? "" : titles.item(0).getTextContent());
            }
        }
        return tooltips;
    }
}
