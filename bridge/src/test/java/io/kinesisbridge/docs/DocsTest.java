package io.kinesisbridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.app.BridgeSettings;
import io.kinesisbridge.app.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The parts of docs/ that mirror code are generated from it: the settings table from {@link BridgeSettings#KNOWN},
 * the kinesis-put tables from the component's catalog (which camel-component-maven-plugin writes from the
 * annotations). Each test fails when a file has drifted; {@code -Ddocs.update=true} rewrites the generated parts.
 */
class DocsTest {

    private static final boolean UPDATE = Boolean.getBoolean("docs.update");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void configurationDoc_holdsTheSettingsTable_asTheCodeDefinesIt() throws IOException {
        checkGenerated(Path.of("docs/configuration.md"), "settings", settingsTable());
    }

    @Test
    void kinesisPutDoc_holdsTheOptionAndHeaderTables_ofTheComponentCatalog() throws IOException {
        JsonNode catalog = catalog("META-INF/io/kinesisbridge/component/kinesis-put.json");
        Path doc = Path.of("docs/kinesis-put.md");
        checkGenerated(doc, "endpoint-options", optionTable(catalog.path("properties"), "parameter"));
        checkGenerated(doc, "component-options", optionTable(catalog.path("componentProperties"), "property"));
        checkGenerated(doc, "headers", headerTable(catalog.path("headers")));
    }

    @Test
    void sourcesDoc_holdsTheMqttAckOptions_ofItsCatalog() throws IOException {
        JsonNode catalog = catalog("META-INF/io/kinesisbridge/source/mqtt/mqtt-ack.json");
        checkGenerated(
                Path.of("docs/sources.md"), "mqtt-ack-options", optionTable(catalog.path("properties"), "parameter"));
    }

    @Test
    void routesDoc_showsEveryRouteExample_asItsFileReads() throws IOException {
        try (Stream<Path> examples = Files.list(Path.of("examples/routes"))) {
            for (Path example : examples.filter(p -> p.toString().endsWith(".yaml"))
                    .sorted()
                    .toList()) {
                checkGenerated(
                        Path.of("docs/routes.md"),
                        "route:" + example.getFileName(),
                        "```yaml\n" + Files.readString(example) + "```\n");
            }
        }
    }

    @Test
    void everyRelativeLink_inTheDocs_pointsToAFileThatExists() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : markdownFiles()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue;
                }
                Path file = doc.resolveSibling(target.replaceAll("#.*$", "")).normalize();
                if (!Files.exists(file)) {
                    broken.add(doc + " -> " + target);
                }
            }
        }
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }

    static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md")));
        for (String dir : List.of("docs", "examples")) {
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    /** The settings table: key, default, description, in the order of {@link BridgeSettings#KNOWN}. */
    static String settingsTable() {
        StringBuilder t = new StringBuilder("| key | default | what |\n|---|---|---|\n");
        for (Setting s : BridgeSettings.KNOWN) {
            t.append("| `")
                    .append(s.key())
                    .append("` | ")
                    .append(code(s.defaultValue()))
                    .append(" | ")
                    .append(cell(s.description()))
                    .append(" |\n");
        }
        return t.toString();
    }

    static String optionTable(JsonNode properties, String kind) {
        StringBuilder t = new StringBuilder("| option | default | what |\n|---|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> option = it.next();
            if (!option.getValue().path("kind").asText().equals(kind)) {
                continue;
            }
            JsonNode value = option.getValue();
            String defaultValue =
                    value.has("defaultValue") ? value.get("defaultValue").asText() : "";
            t.append("| `")
                    .append(option.getKey())
                    .append("` | ")
                    .append(code(defaultValue))
                    .append(" | ")
                    .append(cell(value.path("description").asText()))
                    .append(" |\n");
        }
        return t.toString();
    }

    static String headerTable(JsonNode headers) {
        StringBuilder t = new StringBuilder("| header | what |\n|---|---|\n");
        headers.fields()
                .forEachRemaining(h -> t.append("| `")
                        .append(h.getKey())
                        .append("` | ")
                        .append(cell(h.getValue().path("description").asText()))
                        .append(" |\n"));
        return t.toString();
    }

    private static String code(String value) {
        return value.isEmpty() ? "" : "`" + value + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static JsonNode catalog(String resource) throws IOException {
        try (InputStream in = DocsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("the catalog %s on the class path", resource).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    /**
     * Checks (or with -Ddocs.update=true rewrites) the part of {@code doc} between
     * {@code <!-- generated:NAME -->} and {@code <!-- end:NAME -->}.
     */
    static void checkGenerated(Path doc, String name, String expected) throws IOException {
        String text = Files.readString(doc);
        String begin = "<!-- generated:" + name + " (DocsTest; -Ddocs.update=true rewrites it) -->\n";
        String end = "<!-- end:" + name + " -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("%s has the markers of %s", doc, name).isNotNegative();
        assertThat(to).as("%s has the end marker of %s", doc, name).isGreaterThan(from);
        String actual = text.substring(from + begin.length(), to);
        if (UPDATE && !actual.equals(expected)) {
            Files.writeString(doc, text.substring(0, from + begin.length()) + expected + text.substring(to));
            return;
        }
        assertThat(actual)
                .as("the generated part %s of %s (mvn test -Dtest=DocsTest -Ddocs.update=true rewrites it)", name, doc)
                .isEqualTo(expected);
    }
}
