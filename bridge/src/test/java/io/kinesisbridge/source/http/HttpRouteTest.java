package io.kinesisbridge.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.testing.FreePorts;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped HTTP route with a real HTTP client: bodies of every shape, oversized and malformed ones, tokens. */
class HttpRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static RunningBridge bridge;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.tcp();
        bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(port),
                        "bridge.http.max-body-bytes",
                        "10000",
                        "bridge.http.token",
                        "s3cret"));
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
    }

    private static HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/clickstream"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body, String... headers) throws Exception {
        return post(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static final String[] AUTH_JSON = {"Authorization", "Bearer s3cret", "Content-Type", "application/json"};

    @Test
    void objectArrayAndNdjson_eachEventARecord_answeredLikePutRecords() throws Exception {
        HttpResponse<String> one = post("{\"userId\":\"h1\",\"e\":\"one\"}", AUTH_JSON);
        HttpResponse<String> array = post(
                "[{\"userId\":\"h2\",\"e\":\"arr1\"},{\"userId\":\"h3\",\"e\":\"arr2\"},{\"e\":\"nokey\"}]", AUTH_JSON);
        HttpResponse<String> ndjson = post(
                "{\"userId\":\"h4\",\"e\":\"nd1\"}\n{\"userId\":\"h4\",\"e\":\"nd2\"}\n",
                "Authorization",
                "Bearer s3cret",
                "Content-Type",
                "application/x-ndjson");
        assertThat(List.of(one.statusCode(), array.statusCode(), ndjson.statusCode()))
                .containsOnly(200);
        JsonNode a = JSON.readTree(array.body());
        assertThat(a.get("FailedRecordCount").asInt()).isEqualTo(1);
        assertThat(a.get("Records").get(0).get("ShardId").asText()).startsWith("shardId-");
        assertThat(a.get("Records").get(2).get("ErrorCode").asText()).isEqualTo("MissingPartitionKey");
        assertThat(JSON.readTree(ndjson.body()).get("Records")).hasSize(2);
        assertThat(bridge.records("clickstream"))
                .contains(
                        "{\"userId\":\"h1\",\"e\":\"one\"}",
                        "{\"userId\":\"h2\",\"e\":\"arr1\"}",
                        "{\"userId\":\"h4\",\"e\":\"nd2\"}");
    }

    @Test
    void gzipBody_isDecoded() throws Exception {
        String events = IntStream.range(0, 50)
                .mapToObj(i -> "{\"userId\":\"gz\",\"i\":" + i + "}")
                .collect(Collectors.joining("\n"));
        HttpResponse<String> r = post(
                gzip(events.getBytes(StandardCharsets.UTF_8)),
                "Authorization",
                "Bearer s3cret",
                "Content-Type",
                "application/x-ndjson",
                "Content-Encoding",
                "gzip");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("FailedRecordCount").asInt()).isZero();
        assertThat(bridge.records("clickstream").stream()
                        .filter(d -> d.contains("\"gz\""))
                        .count())
                .isEqualTo(50);
    }

    @Test
    void oversizedBodies_get413_plainOrInflatedFromGzip() throws Exception {
        String big = "["
                + IntStream.range(0, 2000).mapToObj(i -> "{\"userId\":\"big\"}").collect(Collectors.joining(",")) + "]";
        HttpResponse<String> plain = post(big, AUTH_JSON);
        assertThat(plain.statusCode()).isEqualTo(413);
        HttpResponse<String> bomb = post(
                gzip(big.getBytes(StandardCharsets.UTF_8)),
                "Authorization",
                "Bearer s3cret",
                "Content-Type",
                "application/json",
                "Content-Encoding",
                "gzip");
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(bomb.body()).get("ErrorMessage").asText()).contains("bridge.http.max-body-bytes");
        assertThat(bridge.records("clickstream")).noneMatch(d -> d.contains("\"big\""));
    }

    @Test
    void malformedJson_gets400_withLineAndColumn_andNothingIsPut() throws Exception {
        HttpResponse<String> r = post("{\"userId\":\"bad1\"}\n{\"userId\": bad2}\n", AUTH_JSON);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("ErrorCode").asText()).isEqualTo("MalformedRequest");
        assertThat(body.get("ErrorMessage").asText()).contains("line 2, column");
        assertThat(bridge.records("clickstream")).noneMatch(d -> d.contains("bad1"));
        HttpResponse<String> notGzip = post("plain", "Authorization", "Bearer s3cret", "Content-Encoding", "gzip");
        assertThat(notGzip.statusCode()).isEqualTo(400);
    }

    @Test
    void missingOrWrongToken_gets401() throws Exception {
        assertThat(post("{\"userId\":\"t\"}", "Content-Type", "application/json")
                        .statusCode())
                .isEqualTo(401);
        HttpResponse<String> wrong =
                post("{\"userId\":\"t\"}", "Authorization", "Bearer nope", "Content-Type", "application/json");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void formOrXmlContentType_gets415_withAHint() throws Exception {
        HttpResponse<String> form = post(
                "userId=u1", "Authorization", "Bearer s3cret", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(form.body()).get("ErrorMessage").asText()).contains("application/json");
        assertThat(post("<a/>", "Authorization", "Bearer s3cret", "Content-Type", "text/xml")
                        .statusCode())
                .isEqualTo(415);
        assertThat(post(
                                "{\"userId\":\"cs\"}",
                                "Authorization",
                                "Bearer s3cret",
                                "Content-Type",
                                "application/json; charset=utf-8")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void saturatedBridge_answers429WithRetryAfter_whenSoConfigured() throws Exception {
        int p = FreePorts.tcp();
        try (RunningBridge slow = RunningBridge.start(
                dir.resolve("slow"),
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(p),
                        "bridge.http.saturated-status",
                        "429",
                        "bridge.http.retry-after-seconds",
                        "7",
                        "bridge.max-in-flight-records",
                        "20",
                        "bridge.memory.shard-limits",
                        "true",
                        "bridge.memory.records-per-second",
                        "2",
                        "bridge.retry.max-attempts",
                        "1000",
                        "bridge.retry.max-delay-ms",
                        "200"))) {
            String events = IntStream.range(0, 20)
                    .mapToObj(i -> "{\"userId\":\"same\",\"i\":" + i + "}")
                    .collect(Collectors.joining(",", "[", "]"));
            HttpRequest first = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/clickstream"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(events))
                    .build();
            CompletableFuture<HttpResponse<String>> inFlight =
                    CLIENT.sendAsync(first, HttpResponse.BodyHandlers.ofString());
            // the first request's records are in flight (one per second gets through) before the second comes
            Awaitility.await().until(() -> slow.records("clickstream").stream().anyMatch(d -> d.contains("same")));
            HttpResponse<String> second = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/clickstream"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"x\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(inFlight).isNotDone();
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).contains("7");
            assertThat(JSON.readTree(second.body()).get("ErrorCode").asText()).isEqualTo("BridgeSaturated");
            assertThat(inFlight.get().statusCode()).isEqualTo(200);
        }
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(data);
        }
        return out.toByteArray();
    }
}
