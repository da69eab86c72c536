package dev.conductor.spring.blackbox.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Black-box: the README's "The whole start in one picture", through the documented endpoint. */
class WholeBootPictureBlackBoxTests {

    ConfigurableApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
    }

    static class BootDb implements Component {
        public void setup() throws Exception { Thread.sleep(100); }
    }

    static class BootApi implements Component {
        BootApi(BootDb db) {
        }
        public void setup() throws Exception { Thread.sleep(50); }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        @ConductorComponent
        BootDb bootDb() { return new BootDb(); }

        @Bean
        @ConductorComponent
        BootApi bootApi(BootDb db) { return new BootApi(db); }
    }

    String fetch(String query, String... args) throws Exception {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.SERVLET);
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--management.endpoints.web.exposure.include=conductor"));
        all.addAll(List.of(args));
        context = app.run(all.toArray(String[]::new));
        String port = context.getEnvironment().getProperty("local.server.port");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/conductor?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("image/svg+xml");
        Files.writeString(Path.of("target", "bb24-boot-" + System.nanoTime() + ".svg"), response.body());
        return response.body();
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> texts(Document doc) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(((Element) nodes.item(i)).getTextContent());
        }
        return texts;
    }

    static int first(List<String> texts, String part) {
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).toLowerCase(Locale.ROOT).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    void assertPicture(String svg) throws Exception {
        Document doc = parse(svg);
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(svg).doesNotContain("<script").doesNotContain("href=\"http");
        List<String> texts = texts(doc);
        String all = String.join("\n", texts).toLowerCase(Locale.ROOT);
        assertThat(all).contains("context refresh", "bean creation", "lifecycle start", "web server",
                "ready", "bootdb", "bootapi");
        assertThat(all).contains("conductor");
        // rows in the order they began: refresh, bean creation, lifecycle start, then the web server's start
        int refresh = first(texts, "context refresh");
        int beans = first(texts, "bean creation");
        int lifecycle = first(texts, "lifecycle start");
        int db = first(texts, "bootdb");
        int api = first(texts, "bootapi");
        assertThat(refresh).isLessThan(beans);
        assertThat(beans).isLessThan(lifecycle);
        assertThat(db).isLessThan(api);
    }

    record Box(String title, String cls, double x, double end) {
    }

    /** Every rect with a tooltip, in document order: stages, Conductor's setup, component bars. */
    static List<Box> boxes(Document doc) {
        List<Box> boxes = new ArrayList<>();
        NodeList rects = doc.getElementsByTagNameNS("*", "rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            NodeList titles = r.getElementsByTagNameNS("*", "title");
            if (titles.getLength() == 0) {
                continue;
            }
            double x = Double.parseDouble(r.getAttribute("x"));
            boxes.add(new Box(titles.item(0).getTextContent(), r.getAttribute("class"), x,
                    x + Double.parseDouble(r.getAttribute("width"))));
        }
        return boxes;
    }

    static Box box(List<Box> boxes, String titleStart) {
        return boxes.stream().filter(b -> b.title().startsWith(titleStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no box '" + titleStart + "' in " + boxes));
    }

    static double markX(Document doc, String titleStart) {
        NodeList lines = doc.getElementsByTagNameNS("*", "line");
        for (int i = 0; i < lines.getLength(); i++) {
            Element l = (Element) lines.item(i);
            NodeList titles = l.getElementsByTagNameNS("*", "title");
            if (titles.getLength() > 0 && titles.item(0).getTextContent().startsWith(titleStart)) {
                return Double.parseDouble(l.getAttribute("x1"));
            }
        }
        throw new AssertionError("no mark " + titleStart);
    }

    static final double PX = 1.2; // a bar is at least 1 px wide, coordinates rounded to 0.1 px

    /** One time axis: stages in the order they began, components inside Conductor's setup, all before ready. */
    void assertAxis(String svg, String conductorInside) throws Exception {
        Document doc = parse(svg);
        List<Box> boxes = boxes(doc);
        List<Box> rows = boxes.stream().filter(b -> !b.cls().contains("bar")).toList();
        for (int i = 1; i < rows.size(); i++) {
            assertThat(rows.get(i).x()).as("%s begins after %s", rows.get(i).title(), rows.get(i - 1).title())
                    .isGreaterThanOrEqualTo(rows.get(i - 1).x() - PX);
        }
        Box refresh = box(boxes, "context refresh");
        Box beans = box(boxes, "bean creation");
        Box lifecycle = box(boxes, "lifecycle start");
        Box conductor = box(boxes, "Conductor setup");
        Box webStart = box(boxes, "web server start");
        Box db = box(boxes, "bootDb");
        Box api = box(boxes, "bootApi");
        for (Box part : List.of(beans, lifecycle, box(boxes, "bean definitions"))) {
            assertThat(part.x()).isGreaterThanOrEqualTo(refresh.x() - PX);
            assertThat(part.end()).isLessThanOrEqualTo(refresh.end() + PX);
        }
        assertThat(lifecycle.x()).isGreaterThanOrEqualTo(beans.end() - PX);
        Box around = box(boxes, conductorInside);
        assertThat(conductor.x()).isGreaterThanOrEqualTo(around.x() - PX);
        // it starts where it ran (an early setup may go on into the lifecycle start, which waits for it)
        assertThat(conductor.x()).isLessThanOrEqualTo(around.end() + PX);
        assertThat(conductor.end()).isLessThanOrEqualTo(refresh.end() + PX);
        if (around == lifecycle) {
            assertThat(conductor.end()).isLessThanOrEqualTo(around.end() + PX);
        }
        for (Box component : List.of(db, api)) {
            assertThat(component.x()).isGreaterThanOrEqualTo(conductor.x() - PX);
            assertThat(component.end()).isLessThanOrEqualTo(conductor.end() + PX);
        }
        assertThat(api.x()).as("bootApi starts after bootDb ended").isGreaterThanOrEqualTo(db.end() - PX);
        assertThat(webStart.x()).as("web server starts after Conductor's setup").isGreaterThanOrEqualTo(conductor.end() - PX);
        double jvm = markX(doc, "JVM start");
        double ready = markX(doc, "ready");
        for (Box b : boxes) {
            assertThat(b.x()).isGreaterThanOrEqualTo(jvm - PX);
            assertThat(b.end()).as(b.title()).isLessThanOrEqualTo(ready + PX);
        }
    }

    @Test
    void wholeBootPictureThroughTheEndpointLateStart() throws Exception {
        String svg = fetch("format=svg&view=boot", "--conductor.early-start=never");
        assertPicture(svg);
        assertAxis(svg, "lifecycle start");
    }

    @Test
    void wholeBootPictureThroughTheEndpointEarlyStart() throws Exception {
        String svg = fetch("format=svg&view=boot");
        assertPicture(svg);
        assertAxis(svg, "bean creation");
    }
}
