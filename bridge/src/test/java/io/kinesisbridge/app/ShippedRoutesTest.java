package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetterJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;

/** The shipped YAML routes from routes/, loaded by Camel Main with the bridge's own wiring, over real sockets. */
class ShippedRoutesTest extends CamelMainTestSupport {

    private static final String TOKEN = "s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    // set from the super constructor (which asks for the properties), so no field initializers here
    private int port;
    private int managementPort;
    private Path work;
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(BridgeConfiguration.class);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        port = freePort();
        managementPort = freePort();
        work = createTempDir();
        BridgeSettings settings = BridgeSettings.load(
                Optional.empty(),
                Map.of(),
                Map.of(
                        "bridge.http.port",
                        String.valueOf(port),
                        "bridge.management.port",
                        String.valueOf(managementPort),
                        "bridge.endpoint.port",
                        "0",
                        "bridge.syslog.enabled",
                        "false",
                        "bridge.mqtt.enabled",
                        "false",
                        "bridge.http.token",
                        TOKEN,
                        "bridge.http.max-body-bytes",
                        "20000",
                        "bridge.file.inbox",
                        work.resolve("inbox").toString(),
                        "bridge.dead-letter.dir",
                        work.resolve("dead-letter").toString()));
        return BridgeMain.camelProperties(settings, "routes");
    }

    private InMemoryKinesis kinesis() {
        return context.getRegistry().lookupByNameAndType("kinesisBackend", InMemoryKinesis.class);
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/clickstream"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};

    @Test
    void shippedRoutes_areLoadedFromTheRoutesDirectory() {
        assertThat(context.getRoutes()).extracting(r -> r.getRouteId()).contains("http-clickstream", "file-inbox");
        assertThat(context.getRoute("http-clickstream").getDescription()).isNotBlank();
    }

    @Test
    void jsonArray_isPutEventByEvent_andAnsweredLikePutRecords_inInputOrder() throws Exception {
        HttpResponse<String> r = post("[{\"userId\":\"user-42\",\"n\":1},{\"n\":2},{\"userId\":\"u7\",\"n\":3}]", AUTH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("FailedRecordCount").asInt()).isEqualTo(1);
        assertThat(body.get("Records").get(0).get("ShardId").asText()).isEqualTo("shardId-000000000001");
        assertThat(body.get("Records").get(0).get("SequenceNumber").asText()).hasSize(56);
        assertThat(body.get("Records").get(1).get("ErrorCode").asText()).isEqualTo("MissingPartitionKey");
        assertThat(body.get("Records").get(2).has("ShardId")).isTrue();
        List<StreamRecord> stored = kinesis().readAll("clickstream");
        assertThat(stored).extracting(StreamRecord::partitionKey).containsExactlyInAnyOrder("user-42", "u7");
        assertThat(stored)
                .extracting(s -> new String(s.data(), StandardCharsets.UTF_8))
                .contains("{\"userId\":\"user-42\",\"n\":1}");
        // the rejected event is in the dead-letter file, with its reason
        List<String> letters = Files.readAllLines(work.resolve("dead-letter/clickstream.ndjson"));
        assertThat(letters).hasSize(1);
        assertThat(new String(DeadLetterJson.read(letters.get(0)).request().data(), StandardCharsets.UTF_8))
                .isEqualTo("{\"n\":2}");
        // no internal header leaks into the HTTP response
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel"));
    }

    @Test
    void ndjson_andASingleObject_areEventsToo() throws Exception {
        assertThat(JSON.readTree(post("{\"userId\":\"a\"}\n{\"userId\":\"b\"}\n\n{\"userId\":\"c\"}\n", AUTH)
                                .body())
                        .get("Records"))
                .hasSize(3);
        assertThat(JSON.readTree(post("{\"userId\":\"d\"}", AUTH).body()).get("Records"))
                .hasSize(1);
        assertThat(kinesis().readAll("clickstream")).hasSize(4);
    }

    @Test
    void gzipBody_isDecoded() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write("[{\"userId\":\"z1\"},{\"userId\":\"z2\"}]".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r =
                post(zipped.toByteArray(), "Authorization", "Bearer " + TOKEN, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(kinesis().readAll("clickstream"))
                .extracting(StreamRecord::partitionKey)
                .containsExactlyInAnyOrder("z1", "z2");
    }

    @Test
    void malformedJson_is400SayingWhereItBroke_andNothingIsPut() throws Exception {
        HttpResponse<String> r = post("[{\"userId\":\"a\"},\n{\"userId\": }]", AUTH);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("ErrorCode").asText()).isEqualTo("MalformedRequest");
        assertThat(body.get("ErrorMessage").asText()).startsWith("Malformed JSON at line 2, column 12:");
        assertThat(kinesis().readAll("clickstream")).isEmpty();
    }

    @Test
    void oversizedBody_is413_plainOrAfterGzipDecoding() throws Exception {
        String big = "[" + "{\"userId\":\"u\",\"pad\":\"" + "x".repeat(30_000) + "\"}" + "]";
        assertThat(post(big, AUTH).statusCode()).isEqualTo(413);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(big.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(zipped.size()).isLessThan(20_000);
        HttpResponse<String> r =
                post(zipped.toByteArray(), "Authorization", "Bearer " + TOKEN, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).get("ErrorMessage").asText()).contains("bridge.http.max-body-bytes");
        assertThat(kinesis().readAll("clickstream")).isEmpty();
    }

    @Test
    void missingOrWrongToken_is401WithWwwAuthenticate() throws Exception {
        HttpResponse<String> none = post("{\"userId\":\"a\"}");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(post("{\"userId\":\"a\"}", "Authorization", "Bearer wrong").statusCode())
                .isEqualTo(401);
        assertThat(kinesis().readAll("clickstream")).isEmpty();
    }

    @Test
    void unsupportedContentEncoding_is415() throws Exception {
        assertThat(post("{}", "Authorization", "Bearer " + TOKEN, "Content-Encoding", "br")
                        .statusCode())
                .isEqualTo(415);
    }

    @Test
    void readiness_isUp_onTheManagementPort_withTheBackendCheckInIt() throws Exception {
        HttpRequest readiness = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                .build();
        // ready once every consumer has started work (the file consumer after its first poll)
        await().atMost(Duration.ofSeconds(20))
                .until(() -> http.send(readiness, HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200);
        HttpResponse<String> ready = http.send(readiness, HttpResponse.BodyHandlers.ofString());
        assertThat(ready.body()).contains("\"status\" : \"UP\"");
        HttpResponse<String> all = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + managementPort + "/observe/health?exposureLevel=full"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(all.body()).contains("backend").contains("http-clickstream");
    }

    @Test
    void prometheusMetrics_countRecordsAndDeadLettersPerStream() throws Exception {
        post("[{\"userId\":\"a\"},{\"userId\":\"b\"},{\"nokey\":1}]", AUTH);
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("kinesis_bridge_records_in_total{stream=\"clickstream\"} 3.0")
                .contains("kinesis_bridge_records_acknowledged_total{stream=\"clickstream\"} 2.0")
                .contains(
                        "kinesis_bridge_dead_letters_total{error_code=\"MissingPartitionKey\",stream=\"clickstream\"} 1.0");
    }

    @Test
    void fileDroppedIntoTheInbox_becomesOneRecordPerLine_andMovesToDone() throws Exception {
        Path inbox = work.resolve("inbox");
        Files.createDirectories(inbox);
        Path tmp = work.resolve("app.log.tmp");
        Files.writeString(tmp, "first\r\nsecond\n\nthird");
        Files.move(tmp, inbox.resolve("app.log"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(inbox.resolve(".done/app.log")));
        assertThat(kinesis().readAll("logs"))
                .extracting(s -> new String(s.data(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("first", "second", "third");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("shipped-routes");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
