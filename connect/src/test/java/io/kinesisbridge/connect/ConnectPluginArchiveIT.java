package io.kinesisbridge.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The plugin archive {@code mvn package} builds: one directory for a worker's plugin.path, with its manifest. */
class ConnectPluginArchiveIT {

    private static Path archive() {
        Path zip = Path.of(System.getProperty("connect.plugin.zip", "connect/target/missing.zip"));
        assertThat(zip).as("the plugin archive (mvn package builds it)").exists();
        return zip;
    }

    @Test
    void theArchive_holdsTheConnectorAndItsDependencies_butNoKafkaJars() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive().toFile())) {
            Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
            String root = names.get(0).substring(0, names.get(0).indexOf('/') + 1);
            assertThat(names).allSatisfy(n -> assertThat(n).startsWith(root));
            assertThat(names).contains(root + "manifest.json", root + "doc/kafka-connect.md");
            List<String> jars = names.stream()
                    .filter(n -> n.startsWith(root + "lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring((root + "lib/").length()))
                    .toList();
            assertThat(jars)
                    .anyMatch(j -> j.startsWith("kinesis-bridge-connect-"))
                    .anyMatch(j -> j.startsWith("kinesis-bridge-core-"))
                    .anyMatch(j -> j.matches("kinesis-\\d.*"))
                    .noneMatch(j -> j.startsWith("kafka-clients")
                            || j.startsWith("connect-api")
                            || j.startsWith("connect-runtime"))
                    .noneMatch(j ->
                            j.startsWith("slf4j-api") || j.startsWith("camel-") || j.startsWith("kinesis-bridge-0"));
            ZipEntry connectorJar = zip.getEntry(names.stream()
                    .filter(n -> n.startsWith(root + "lib/kinesis-bridge-connect-"))
                    .findFirst()
                    .orElseThrow());
            try (InputStream in = zip.getInputStream(connectorJar);
                    JarInputStream jar = new JarInputStream(in)) {
                List<String> classes = new ArrayList<>();
                for (var e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                    classes.add(e.getName());
                }
                assertThat(classes)
                        .contains(
                                "io/kinesisbridge/connect/KinesisPutSinkConnector.class",
                                "META-INF/services/org.apache.kafka.connect.sink.SinkConnector");
            }
        }
    }

    @Test
    void theManifest_namesTheSinkAndItsVersion_inConfluentHubStyle() throws IOException {
        try (ZipFile zip = new ZipFile(archive().toFile())) {
            ZipEntry manifest = Collections.list(zip.entries()).stream()
                    .filter(e -> e.getName().endsWith("/manifest.json"))
                    .findFirst()
                    .orElseThrow();
            JsonNode json;
            try (InputStream in = zip.getInputStream(manifest)) {
                json = new ObjectMapper().readTree(in);
            }
            assertThat(json.path("name").asText()).isEqualTo("kinesis-bridge-connect");
            assertThat(json.path("version").asText())
                    .isEqualTo(ConnectorVersion.VERSION)
                    .doesNotContain("${");
            assertThat(json.path("component_types").toString()).isEqualTo("[\"sink\"]");
            assertThat(json.path("owner").path("username").asText()).isNotEmpty();
        }
        assertThat(Files.size(archive())).isPositive();
    }
}
