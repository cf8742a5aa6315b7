package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bridge.spool.enabled=false}: the bridge starts, serves, and dead-letters what it would have spooled. */
class SpoolDisabledTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void spoolOff_bridgeStarts_andARecordSentOverHttpArrives_noSpoolDirectoryIsMade() throws Exception {
        int port = FreePorts.tcp();
        try (RunningBridge bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.spool.enabled",
                        "false",
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(port)))) {
            HttpResponse<String> answer = post(port, "{\"userId\":\"u1\",\"n\":1}");

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(bridge.records("clickstream")).containsExactly("{\"userId\":\"u1\",\"n\":1}");
        }
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    @Test
    void spoolOff_aRecordKinesisKeepsRefusing_isDeadLetteredAsServiceUnreachable_notSpooled() throws Exception {
        int port = FreePorts.tcp();
        Map<String, String> settings = Map.ofEntries(
                Map.entry("bridge.spool.enabled", "false"),
                Map.entry("bridge.http.enabled", "true"),
                Map.entry("bridge.http.port", String.valueOf(port)),
                Map.entry("bridge.backend", "aws"),
                Map.entry("bridge.aws.region", "us-east-1"),
                Map.entry("bridge.aws.endpoint-override", "http://127.0.0.1:" + FreePorts.tcp()), // nobody listens
                Map.entry("bridge.aws.credentials", "static"),
                Map.entry("bridge.aws.access-key-id", "AKIDTEST"),
                Map.entry("bridge.aws.secret-access-key", "test"),
                Map.entry("bridge.aws.connect-timeout-ms", "200"),
                Map.entry("bridge.retry.max-attempts", "2"),
                Map.entry("bridge.retry.base-delay-ms", "10"),
                Map.entry("bridge.retry.max-delay-ms", "50"));
        try (RunningBridge bridge = RunningBridge.start(dir, settings)) {
            post(port, "{\"userId\":\"u2\",\"n\":2}");

            Path letters = dir.resolve("dead-letter/clickstream.ndjson");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(letters)
                            && !Files.readAllLines(letters).isEmpty());
            List<String> lines = Files.readAllLines(letters);
            assertThat(lines).hasSize(1);
            assertThat(DeadLetterJson.read(lines.get(0)).request().partitionKey())
                    .isEqualTo("u2");
        }
        assertThat(dir.resolve("spool")).doesNotExist();
    }

    private static HttpResponse<String> post(int port, String body) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/clickstream"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
