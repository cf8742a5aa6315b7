package io.kinesisbridge.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 1: streams named {@code .} and {@code ..} created, written and deleted through the endpoint of a bridge
 * whose in-memory backend persists beside the operator's files and the dead letters. After a restart nothing is
 * lost and nothing outside those streams' own files was touched.
 */
@Tag("slow")
class StreamNamePathAbuseIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void dotAndDotDot_createdAndDeletedThroughTheEndpoint_touchNothingElse_andARestartLosesNothing(@TempDir Path dir)
            throws Exception {
        Path home = dir.resolve("stream-names");
        Path streams = home.resolve("streams");
        Files.createDirectories(home.resolve("dead-letter"));
        Path notes = Files.writeString(home.resolve("operator-notes.txt"), "keep me");
        String earlier = DeadLetterJson.write(new DeadLetter(
                Instant.now(),
                "clickstream",
                new PutRequest("clickstream", "u0", "{\"userId\":\"u0\"}".getBytes(StandardCharsets.UTF_8), null, null),
                new KinesisError("ServiceUnreachable", "down"),
                10));
        Path letters = Files.writeString(home.resolve("dead-letter/clickstream.ndjson"), earlier + "\n");
        try (AbuseRig rig =
                AbuseRig.start(dir, "stream-names", Map.of("bridge.memory.persist-dir", streams.toString()))) {
            String url = "http://127.0.0.1:" + rig.endpointPort();
            List<String> inboxBefore = filesUnder(rig.inbox());
            List<String> answers = new ArrayList<>();
            for (String name : List.of("..", ".", "...")) {
                answers.add(name + " create "
                        + call(url, "CreateStream", "{\"StreamName\":\"" + name + "\",\"ShardCount\":1}"));
                String marker = rig.marker();
                answers.add(name + " put "
                        + call(
                                url,
                                "PutRecord",
                                "{\"StreamName\":\"" + name + "\",\"PartitionKey\":\"k\",\"Data\":\""
                                        + Base64.getEncoder().encodeToString(marker.getBytes(StandardCharsets.UTF_8))
                                        + "\"}"));
                if (name.equals("...")) {
                    rig.accepted("...", marker); // kept: must be there after the restart
                }
            }
            answers.add(". delete " + call(url, "DeleteStream", "{\"StreamName\":\".\"}"));
            answers.add(".. delete " + call(url, "DeleteStream", "{\"StreamName\":\"..\"}"));

            rig.process().stop();
            rig.process().restart();
            rig.process().awaitReady(Duration.ofSeconds(90));

            String observed =
                    String.join(", ", answers) + "; after restart: notes " + (Files.exists(notes) ? "kept" : "gone")
                            + ", dead letters " + (Files.exists(letters) ? "kept" : "gone");
            AbuseLedger.row(
                            "CreateStream/DeleteStream '.' and '..' with persist-dir",
                            "200s, only their own files, nothing lost",
                            observed,
                            rig)
                    .check();
            assertThat(answers).allMatch(a -> a.endsWith(" 200"));
            assertThat(notes).hasContent("keep me");
            assertThat(Files.readAllLines(letters)).first().isEqualTo(earlier);
            assertThat(filesUnder(rig.inbox())).containsAll(inboxBefore);
            try (Stream<Path> left = Files.list(streams)) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("clickstream", "logs", "telemetry", "@@@@");
            }
        }
    }

    private static String call(String url, String operation, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "Kinesis_20131202." + operation)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return String.valueOf(r.statusCode());
    }

    private static List<String> filesUnder(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .toList();
        }
    }
}
