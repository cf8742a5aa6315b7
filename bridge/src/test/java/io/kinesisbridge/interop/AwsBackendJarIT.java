package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.testing.BridgeProcess;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.Kinesalite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped jar with bridge.backend=aws against kinesalite: events POSTed to the HTTP route all arrive, in per-key order. */
@Tag("slow")
class AwsBackendJarIT {

    private static final String SECRET = "jarItSecretKey/DoNotLog+0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path jar() {
        Path jar = Path.of(System.getProperty("bridge.jar", "target/kinesis-bridge.jar"));
        if (!Files.isRegularFile(jar)) {
            String missing = "the bridge jar is missing (mvn package): " + jar;
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing);
        }
        return jar;
    }

    @Test
    void httpEvents_reachKinesalite_allOfThem_inPerKeyOrder(@TempDir Path work) throws Exception {
        jar(); // BridgeProcess runs the shipped jar (bridge.jar) under failsafe
        try (Kinesalite kinesalite = Kinesalite.start()) {
            kinesalite.createStream("clickstream", 4);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("bridge.http.enabled", "true");
            settings.put("bridge.backend", "aws");
            settings.put("bridge.aws.region", "us-east-1");
            settings.put("bridge.aws.endpoint-override", kinesalite.url());
            settings.put("bridge.aws.cbor", "false");
            settings.put("bridge.aws.credentials", "static");
            settings.put("bridge.aws.access-key-id", "AKIDJARIT");
            settings.put("bridge.aws.secret-access-key", SECRET);
            settings.put("bridge.http.port", String.valueOf(FreePorts.tcp()));
            settings.put("bridge.endpoint.enabled", "false");
            settings.put("bridge.ordering", "key");
            BridgeProcess bridge = BridgeProcess.start(work, "bridge", settings);
            try {
                HttpClient http = HttpClient.newHttpClient();
                URI uri = URI.create("http://127.0.0.1:" + bridge.setting("bridge.http.port") + "/clickstream");
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions()
                        .until(() -> {
                            if (!bridge.isAlive()) {
                                throw new IllegalStateException("the bridge exited: " + bridge.tail());
                            }
                            return post(http, uri, "{\"userId\":\"probe\",\"n\":0}")
                                            .statusCode()
                                    == 200;
                        });

                Map<String, List<String>> sent = new LinkedHashMap<>();
                int n = 0;
                for (int request = 0; request < 20; request++) {
                    StringBuilder ndjson = new StringBuilder();
                    for (int i = 0; i < 50; i++, n++) {
                        String user = "user-" + (n * 7 % 13);
                        String event = "{\"userId\":\"" + user + "\",\"n\":" + n + "}";
                        sent.computeIfAbsent(user, u -> new ArrayList<>()).add(event);
                        ndjson.append(event).append('\n');
                    }
                    HttpResponse<String> response = post(http, uri, ndjson.toString());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    JsonNode answer = JSON.readTree(response.body());
                    assertThat(answer.get("FailedRecordCount").asInt())
                            .as(response.body())
                            .isZero();
                    assertThat(answer.get("Records")).hasSize(50);
                }

                Map<String, List<String>> arrived = new HashMap<>();
                for (Kinesalite.StoredRecord r : kinesalite.readAll("clickstream")) {
                    if (!r.partitionKey().equals("probe")) {
                        arrived.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>())
                                .add(r.text());
                    }
                }
                assertThat(arrived).isEqualTo(sent);
                assertThat(arrived.values().stream().mapToInt(List::size).sum()).isEqualTo(1000);
            } finally {
                bridge.close();
            }
            String output = bridge.output();
            assertThat(output).contains("backend aws in us-east-1").doesNotContain(SECRET);
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
