package io.kinesisbridge.console;

import static io.kinesisbridge.console.ConsoleClient.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinesisbridge.app.ManagementServer;
import io.kinesisbridge.app.RunningBridge;
import io.kinesisbridge.component.KinesisPutConstants;
import io.kinesisbridge.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console of a running bridge (HTTP source on, no token, re-sending allowed, five recent records, at most two
 * event streams) over real sockets: the page, the JSON APIs, the event stream, decoded records, and a dead letter
 * re-sent through the stream's dispatcher.
 */
class WebConsoleTest {

    private static final String LONG_KEY = "k".repeat(300);

    @TempDir
    static Path dir;

    static RunningBridge bridge;
    static int httpPort;
    static ConsoleClient console;

    @BeforeAll
    static void start() throws Exception {
        httpPort = FreePorts.tcp();
        bridge = RunningBridge.start(
                dir,
                Map.of(
                        "bridge.http.enabled",
                        "true",
                        "bridge.http.port",
                        String.valueOf(httpPort),
                        "bridge.console.allow-resend",
                        "true",
                        "bridge.console.recent-records",
                        "5",
                        "bridge.management.max-connections",
                        "4"));
        console = new ConsoleClient(bridge.context()
                .getRegistry()
                .lookupByNameAndType("managementServer", ManagementServer.class)
                .port());
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
    }

    private static HttpResponse<String> postEvents(String ndjson) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/clickstream"))
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString(ndjson))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static void put(String stream, String key, byte[] data) {
        try (ProducerTemplate template = bridge.context().createProducerTemplate()) {
            template.sendBodyAndHeader("kinesis-put:" + stream, data, KinesisPutConstants.PARTITION_KEY, key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void thePageAndItsFiles_areServedUnderConsole() throws Exception {
        HttpResponse<String> page = console.get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(page.body())
                .contains("<script src=\"console.js\"", "id=\"streams\"", "id=\"records\"", "id=\"dead-letters\"");
        assertThat(console.get("/console/console.js").body()).contains("EventSource");
        assertThat(console.get("/console/console.css").statusCode()).isEqualTo(200);
        assertThat(console.get("/console").headers().firstValue("Location")).hasValue("/console/");
        assertThat(console.get("/console/nothing-here").statusCode()).isEqualTo(404);
        // the probes are still where they were
        assertThat(console.get("/observe/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void config_saysWhatThePageMayOffer() throws Exception {
        JsonNode config = console.getJson("/console/api/config");
        assertThat(config.path("allowResend").asBoolean()).isTrue();
        assertThat(config.path("recentRecords").asInt()).isEqualTo(5);
        assertThat(config.path("backend").asText()).isEqualTo("memory");
        assertThat(config.path("tokenRequired").asBoolean()).isFalse();
    }

    @Test
    void theEventStream_showsPostedEvents_inTheStreamAndShardCounters() throws Exception {
        long before = ConsoleClient.stream(console.getJson("/console/api/overview"), "clickstream")
                .path("acknowledged")
                .asLong();
        String user = "sse-" + UUID.randomUUID();
        assertThat(postEvents(("{\"userId\":\"" + user + "\",\"n\":1}\n").repeat(3))
                        .statusCode())
                .isEqualTo(200);

        JsonNode overview = console.awaitOverview(
                o -> ConsoleClient.stream(o, "clickstream").path("acknowledged").asLong() >= before + 3);
        JsonNode clickstream = ConsoleClient.stream(overview, "clickstream");
        assertThat(clickstream.path("in").asLong()).isGreaterThanOrEqualTo(before + 3);
        assertThat(clickstream.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(clickstream.has("throttled")).isTrue();
        assertThat(clickstream.has("deadLettered")).isTrue();
        assertThat(clickstream.has("putRate")).isTrue();
        JsonNode shards = clickstream.path("shards");
        assertThat(shards).hasSize(4);
        // the hash-key ranges cover the space, in order, without gaps
        assertThat(shards.get(0).path("from").asDouble()).isZero();
        assertThat(shards.get(3).path("to").asDouble()).isEqualTo(1.0);
        for (int i = 1; i < 4; i++) {
            assertThat(shards.get(i).path("from").asDouble())
                    .isEqualTo(shards.get(i - 1).path("to").asDouble());
        }
        long acknowledgedByShards = 0;
        long writtenByShards = 0;
        for (JsonNode shard : shards) {
            acknowledgedByShards += shard.path("acknowledged").asLong();
            writtenByShards += shard.path("written").asLong();
        }
        assertThat(acknowledgedByShards)
                .isEqualTo(clickstream.path("acknowledged").asLong());
        assertThat(writtenByShards).isGreaterThanOrEqualTo(before + 3);
    }

    @Test
    void records_areDecoded_asJsonTextOrHex_newestFirst() throws Exception {
        String key = "decode-" + UUID.randomUUID();
        put("logs", key, "{\"a\":1,\"b\":[true,null]}".getBytes(StandardCharsets.UTF_8));
        put("logs", key, "plain text, ünïcode".getBytes(StandardCharsets.UTF_8));
        put("logs", key, new byte[] {0, 1, 2, (byte) 0xFF, 'A'});

        JsonNode records =
                console.getJson("/console/api/records?stream=logs&key=" + key).path("records");
        assertThat(records).hasSize(3);
        List<String> kinds = new ArrayList<>();
        records.forEach(r -> kinds.add(r.path("kind").asText()));
        // one key, so one shard and arrival order: newest first
        assertThat(kinds).containsExactly("binary", "text", "json");
        assertThat(records.get(0).path("shown").asText())
                .startsWith("00000000  00 01 02 ff 41")
                .contains("....A");
        assertThat(records.get(1).path("shown").asText()).isEqualTo("plain text, ünïcode");
        assertThat(records.get(2).path("shown").asText()).isEqualTo("{\n  \"a\" : 1,\n  \"b\" : [ true, null ]\n}");
        assertThat(records.get(2).path("partitionKey").asText()).isEqualTo(key);
        assertThat(records.get(2).path("sequenceNumber").asText()).isNotBlank();
    }

    @Test
    void records_returnAtMostTheConfiguredNumber_perStreamOrShard() throws Exception {
        for (int i = 0; i < 8; i++) {
            put("telemetry", "many-" + i, ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        JsonNode answer = console.getJson("/console/api/records?stream=telemetry&limit=1000");
        assertThat(answer.path("limit").asInt()).isEqualTo(5);
        assertThat(answer.path("records")).hasSize(5);
        String shard = answer.path("records").get(0).path("shardId").asText();
        JsonNode oneShard = console.getJson("/console/api/records?stream=telemetry&shard=" + shard)
                .path("records");
        assertThat(oneShard)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("shardId").asText()).isEqualTo(shard));
        assertThat(console.get("/console/api/records?stream=no-such-stream").statusCode())
                .isEqualTo(404);
        assertThat(console.get("/console/api/records").statusCode()).isEqualTo(400);
    }

    @Test
    void aDeadLetter_isListedWithItsReason_andReSentWithAFixedKey_landsInTheStream() throws Exception {
        String marker = UUID.randomUUID().toString();
        postEvents("{\"userId\":\"" + LONG_KEY + "\",\"marker\":\"" + marker + "\"}\n");
        JsonNode letter = await("the dead letter")
                .atMost(WAIT)
                .until(
                        () -> {
                            for (JsonNode l : console.getJson("/console/api/dead-letters?stream=clickstream")
                                    .path("letters")) {
                                if (l.path("shown").asText().contains(marker)) {
                                    return l;
                                }
                            }
                            return null;
                        },
                        l -> l != null);
        assertThat(letter.path("partitionKey").asText()).isEqualTo(LONG_KEY);
        assertThat(letter.path("errorCode").asText()).isNotBlank();
        assertThat(letter.path("errorMessage").asText()).isNotBlank();
        assertThat(letter.path("kind").asText()).isEqualTo("json");
        assertThat(console.getJson("/console/api/dead-letters").path("streams"))
                .extracting(JsonNode::asText)
                .contains("clickstream");

        String fixed = "fixed-" + marker;
        HttpResponse<String> resent = console.postJson(
                "/console/api/dead-letters/resend",
                Map.of(
                        "stream",
                        "clickstream",
                        "partitionKey",
                        fixed,
                        "data",
                        letter.path("base64").asText(),
                        "encoding",
                        "base64"));
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
        JsonNode outcome = ConsoleClient.JSON.readTree(resent.body());
        assertThat(outcome.path("outcome").asText()).isEqualTo("accepted");
        assertThat(outcome.path("shardId").asText()).startsWith("shardId-");

        JsonNode landed = console.getJson("/console/api/records?stream=clickstream&key=" + fixed)
                .path("records");
        assertThat(landed).hasSize(1);
        assertThat(landed.get(0).path("sequenceNumber").asText())
                .isEqualTo(outcome.path("sequenceNumber").asText());
        assertThat(landed.get(0).path("shown").asText()).contains(marker);
        assertThat(Base64.getDecoder().decode(letter.path("base64").asText()))
                .asString(StandardCharsets.UTF_8)
                .contains(marker);
    }

    @Test
    void aReSentRecordThatIsStillInvalid_isRejectedAgain_byTheSameValidator() throws Exception {
        HttpResponse<String> resent = console.postJson(
                "/console/api/dead-letters/resend",
                Map.of("stream", "clickstream", "partitionKey", LONG_KEY, "data", "{}"));
        assertThat(resent.statusCode()).isEqualTo(200);
        JsonNode outcome = ConsoleClient.JSON.readTree(resent.body());
        assertThat(outcome.path("outcome").asText()).isEqualTo("rejected");
        assertThat(outcome.path("errorCode").asText()).isNotBlank();
    }

    @Test
    void aReSend_toAStreamTheBridgeDoesNotHave_orNotAsJson_isRefused() throws Exception {
        assertThat(console.postJson(
                                "/console/api/dead-letters/resend",
                                Map.of("stream", "elsewhere", "partitionKey", "k", "data", "x"))
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> form = HttpClient.newHttpClient()
                .send(
                        console.request("/console/api/dead-letters/resend")
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString("stream=clickstream"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(console.with("Origin", "http://evil.example")
                        .postJson(
                                "/console/api/dead-letters/resend",
                                Map.of("stream", "clickstream", "partitionKey", "k", "data", "x"))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void eventStreams_areCapped_atHalfTheManagementConnections() throws Exception {
        List<HttpResponse<Stream<String>>> open = new ArrayList<>();
        try {
            open.add(console.events());
            open.add(console.events());
            assertThat(open).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            HttpResponse<String> third = console.get("/console/api/events");
            assertThat(third.statusCode()).isEqualTo(503);
        } finally {
            open.forEach(r -> r.body().close());
        }
        WebConsole webConsole = bridge.context().getRegistry().lookupByNameAndType("webConsole", WebConsole.class);
        await("the event streams closed").atMost(WAIT).until(() -> webConsole.eventStreams() == 0);
        // and the probes still had room
        assertThat(console.get("/observe/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void routes_showTheirStateAndTheCountersOfTheirStream() throws Exception {
        postEvents("{\"userId\":\"routes\",\"n\":1}\n");
        JsonNode view = console.getJson("/console/api/routes");
        JsonNode http = null;
        for (JsonNode r : view.path("routes")) {
            if (r.path("id").asText().equals("http-clickstream")) {
                http = r;
            }
        }
        assertThat(http).as("the http-clickstream route in %s", view).isNotNull();
        assertThat(http.path("status").asText()).isEqualTo("Started");
        assertThat(http.path("streams").get(0).path("stream").asText()).isEqualTo("clickstream");
        assertThat(http.path("streams").get(0).path("in").asLong()).isPositive();
        assertThat(http.path("streams").get(0).has("returned")).isTrue();
        assertThat(view.path("checks")).isNotEmpty();
        assertThat(view.path("listeners").has("management")).isTrue();
    }
}
