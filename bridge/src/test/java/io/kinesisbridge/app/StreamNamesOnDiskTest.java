package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.server.KinesisEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams named {@code .}, {@code ..}, {@code ...} and {@code a..b}, created, written and deleted through the
 * bridge's Kinesis endpoint with {@code bridge.memory.persist-dir} set: each keeps to its own directory, a delete
 * removes only its stream's files, and what was acknowledged is there after a restart.
 */
class StreamNamesOnDiskTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void dotNames_throughTheEndpoint_keepToTheirOwnFiles_deleteOnlyThose_andSurviveARestart() throws Exception {
        Path data = dir.resolve("data");
        Path streams = data.resolve("streams");
        Files.createDirectories(data.resolve("dead-letter"));
        Files.writeString(data.resolve("operator-notes.txt"), "keep me");
        Files.writeString(data.resolve("dead-letter/clickstream.ndjson"), "{\"earlier\":\"letter\"}\n");
        Map<String, String> settings =
                Map.of("bridge.memory.persist-dir", streams.toString(), "bridge.streams", "clickstream:2");

        Map<String, String> outside;
        try (RunningBridge bridge = RunningBridge.start(data, settings)) {
            String url = endpointUrl(bridge);
            assertThat(call(url, "PutRecord", put("clickstream", "acknowledged before"))
                            .statusCode())
                    .isEqualTo(200);
            outside = filesOutside(data, streams);
            for (String name : List.of(".", "..", "...", "a..b")) {
                assertThat(call(url, "CreateStream", "{\"StreamName\":\"" + name + "\",\"ShardCount\":2}")
                                .statusCode())
                        .as("CreateStream %s", name)
                        .isEqualTo(200);
                assertThat(call(url, "PutRecord", put(name, "record of " + name))
                                .statusCode())
                        .as("PutRecord %s", name)
                        .isEqualTo(200);
            }
            assertThat(call(url, "DeleteStream", "{\"StreamName\":\".\"}").statusCode())
                    .isEqualTo(200);
            assertThat(call(url, "DeleteStream", "{\"StreamName\":\"..\"}").statusCode())
                    .isEqualTo(200);
            assertThat(filesOutside(data, streams)).isEqualTo(outside);
        }

        try (RunningBridge bridge = RunningBridge.start(data, settings)) {
            assertThat(bridge.kinesis().streamNames()).containsExactly("...", "a..b", "clickstream");
            assertThat(bridge.records("clickstream")).containsExactly("acknowledged before");
            assertThat(bridge.records("...")).containsExactly("record of ...");
            assertThat(bridge.records("a..b")).containsExactly("record of a..b");
            String url = endpointUrl(bridge);
            assertThat(call(url, "DeleteStream", "{\"StreamName\":\"...\"}").statusCode())
                    .isEqualTo(200);
            assertThat(call(url, "DeleteStream", "{\"StreamName\":\"a..b\"}").statusCode())
                    .isEqualTo(200);
        }
        assertThat(filesOutside(data, streams)).isEqualTo(outside);
        try (Stream<Path> left = Files.list(streams)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("clickstream");
        }
    }

    private static String endpointUrl(RunningBridge bridge) {
        return bridge.context()
                .getRegistry()
                .lookupByNameAndType("kinesisEndpoint", KinesisEndpoint.class)
                .url();
    }

    private static String put(String stream, String data) {
        return "{\"StreamName\":\"" + stream + "\",\"PartitionKey\":\"k\",\"Data\":\""
                + Base64.getEncoder().encodeToString(data.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    private static HttpResponse<String> call(String url, String operation, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/"))
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "Kinesis_20131202." + operation)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        assertThat(answer.path("__type").asText(""))
                .as("%s %s answered %s", operation, body, r.body())
                .isEmpty();
        return r;
    }

    /** Every file of the data directory but the persist directory's, with its content. */
    private static Map<String, String> filesOutside(Path data, Path streams) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(data)) {
            for (Path p : all.filter(p -> !p.startsWith(streams) && Files.isRegularFile(p))
                    .toList()) {
                files.put(data.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
