package dev.conductor.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class PlainConductorExampleTest {

    @AfterEach
    void clearPort() {
        System.clearProperty("plain.port");
        System.clearProperty("plain.pictures");
    }

    @Test
    void runSetsUpSubmitsOverHttpAndShutsDown() {
        System.setProperty("plain.port", "0");

        Map<String, String> statuses = PlainConductorExample.run();

        assertThat(statuses).hasSize(3).allSatisfy((id, status) -> assertThat(status).isEqualTo("PROCESSED"));
    }

    @Test
    void runDrawsTheLifecycleIntoTheDirectoryGiven(@TempDir Path pictures) throws Exception {
        System.setProperty("plain.port", "0");
        System.setProperty("plain.pictures", pictures.toString());

        PlainConductorExample.run();

        Document setup = parse(pictures.resolve("conductor-setup.svg"));
        // database and messageQueue, then webApi and backgroundWorkers: four bars, the tier-0 ones first
        List<String> bars = bars(setup);
        assertThat(bars).hasSize(4);
        assertThat(bars.subList(0, 2)).allSatisfy(bar -> assertThat(bar).contains(": tier 0"));
        assertThat(bars.subList(2, 4)).allSatisfy(bar -> assertThat(bar).contains(": tier 1"));
        List<String> shutdown = bars(parse(pictures.resolve("conductor-shutdown.svg")));
        assertThat(shutdown).hasSize(4);
        assertThat(shutdown.subList(0, 2)).allSatisfy(bar -> assertThat(bar).contains(": tier 1"));
        assertThat(Files.readString(pictures.resolve("conductor-graph.svg"))).contains("Dependency graph: 4 components");
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The tooltips of the bars, in document order (the order the steps started). */
    private static List<String> bars(Document svg) {
        List<String> bars = new ArrayList<>();
        NodeList rects = svg.getElementsByTagNameNS("*", "rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if (rect.getAttribute("class").startsWith("bar ")) {
                bars.add(rect.getElementsByTagNameNS("*", "title").item(0).getTextContent());
            }
        }
        return bars;
    }
}
