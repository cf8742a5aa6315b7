package io.kinesisbridge.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.testing.FreePorts;
import io.kinesisbridge.testing.RecordingBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

    @TempDir
    Path dir;

    private BridgeSettings settings() {
        return BridgeSettings.load(
                Optional.empty(),
                Map.of(),
                Map.of(
                        "bridge.dead-letter.dir",
                        dir.resolve("dead-letter").toString(),
                        "bridge.retry.base-delay-ms",
                        "1",
                        "bridge.retry.max-delay-ms",
                        "10",
                        "bridge.retry.max-attempts",
                        "50"));
    }

    @Test
    void aCapturedStream_isReplayedToAnotherBackend_everyRecordOnce_perKeyOrderKept_underFaults() {
        Path capture = dir.resolve("capture");
        InMemoryKinesis offline = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), capture, false);
        offline.createStream("telemetry", 3);
        for (int i = 0; i < 3000; i++) {
            PutRecordCommand c = PutRecordValidator.validate(
                    PutRequest.of(
                            "telemetry",
                            "device-" + (i % 40),
                            ("device-" + (i % 40) + ":" + i).getBytes(StandardCharsets.UTF_8)),
                    1 << 20);
            offline.putRecord(c).join();
            if (i == 1500) {
                offline.updateShardCount("telemetry", 5); // a key's records now span a parent and a child shard
            }
        }
        offline.close();

        InMemoryKinesis target = new InMemoryKinesis(MemoryBackendSettings.defaults());
        target.createStream("telemetry", 2);
        RecordingBackend flaky = new RecordingBackend(target, 3, 0.2, c -> false);
        ReplayCommand.Outcome outcome = ReplayCommand.run(settings(), flaky, "memory:" + capture, null, quiet());
        flaky.close();

        assertThat(outcome).isEqualTo(new ReplayCommand.Outcome(3000, 3000, 0));
        List<StreamRecord> arrived = target.readAll("telemetry");
        assertThat(arrived).hasSize(3000);
        Map<String, Integer> last = new HashMap<>();
        for (StreamRecord r : arrived) {
            String[] parts = new String(r.data(), StandardCharsets.UTF_8).split(":");
            int n = Integer.parseInt(parts[1]);
            assertThat(n).as("key %s", parts[0]).isGreaterThan(last.getOrDefault(parts[0], -1));
            last.put(parts[0], n);
        }
    }

    @Test
    void aDeadLetterFile_isReplayed_fixedRecordsGoThrough_stillBadOnesAreDeadLetteredAgain() throws IOException {
        Path file = dir.resolve("old.ndjson");
        List<String> lines = new ArrayList<>();
        lines.add(DeadLetterJson.write(new DeadLetter(
                Instant.now(),
                "clickstream",
                new PutRequest(
                        "clickstream", "u1", "{\"userId\":\"u1\"}".getBytes(StandardCharsets.UTF_8), null, "4900000"),
                new KinesisError("ServiceUnreachable", "down"),
                10)));
        lines.add(DeadLetterJson.write(new DeadLetter(
                Instant.now(),
                "clickstream",
                new PutRequest("clickstream", null, "{}".getBytes(StandardCharsets.UTF_8), null, null),
                new KinesisError("MissingPartitionKey", "no key"),
                0)));
        Files.write(file, lines);
        InMemoryKinesis target = new InMemoryKinesis(MemoryBackendSettings.defaults());
        target.createStream("clickstream", 4);
        target.createStream("other", 1);

        ReplayCommand.Outcome outcome = ReplayCommand.run(settings(), target, "dead-letter:" + file, "other", quiet());

        assertThat(outcome).isEqualTo(new ReplayCommand.Outcome(2, 1, 1));
        assertThat(target.readAll("other"))
                .extracting(StreamRecord::partitionKey)
                .containsExactly("u1");
        List<String> again = Files.readAllLines(onlyReplayLetterDir().resolve("other.ndjson"));
        assertThat(again).hasSize(1);
        assertThat(DeadLetterJson.read(again.get(0)).error().code()).isEqualTo("ValidationException");
        assertThat(Files.readAllLines(file)).isEqualTo(lines);
    }

    @Test
    void
            aDeadLetterFile_asTheReadmeShowsIt_goesToTheRunningBridgesEndpoint_andIsReadBackThere_theInputIsNeverAppendedTo()
                    throws Exception {
        Path data = dir.resolve("data");
        Path file = data.resolve("dead-letter/clickstream.ndjson");
        Files.createDirectories(file.getParent());
        List<String> lines = List.of(
                DeadLetterJson.write(new DeadLetter(
                        Instant.now(),
                        "clickstream",
                        new PutRequest(
                                "clickstream",
                                "u1",
                                "{\"userId\":\"u1\"}".getBytes(StandardCharsets.UTF_8),
                                null,
                                null),
                        new KinesisError("ServiceUnreachable", "down"),
                        10)),
                DeadLetterJson.write(new DeadLetter(
                        Instant.now(),
                        "clickstream",
                        new PutRequest("clickstream", "u2", new byte[(1 << 20) + 1], null, null),
                        new KinesisError("ValidationException", "too big"),
                        0)));
        Files.write(file, lines);
        int endpointPort = FreePorts.tcp();
        try (RunningBridge bridge =
                RunningBridge.start(data, Map.of("bridge.endpoint.port", String.valueOf(endpointPort)))) {
            BridgeSettings replay = BridgeSettings.load(
                    Optional.empty(),
                    Map.of(),
                    Map.of(
                            "bridge.dead-letter.dir",
                            data.resolve("dead-letter").toString(),
                            "bridge.endpoint.port",
                            String.valueOf(endpointPort),
                            "bridge.retry.max-attempts",
                            "2"));
            ByteArrayOutputStream printed = new ByteArrayOutputStream();

            int status = ReplayCommand.run(
                    replay,
                    "dead-letter:" + file,
                    "clickstream",
                    new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(status).isEqualTo(1);
            assertThat(bridge.records("clickstream")).containsExactly("{\"userId\":\"u1\"}");
            String output = printed.toString(StandardCharsets.UTF_8);
            assertThat(output)
                    .contains("to the running bridge's Kinesis endpoint http://127.0.0.1:" + endpointPort)
                    .contains("stream clickstream: 2 sent, 1 acknowledged, 1 dead-lettered")
                    .contains(data.resolve("dead-letter").resolve("replay-").toString());
            assertThat(Files.readAllLines(file)).isEqualTo(lines);

            ReplayCommand.run(
                    replay, "dead-letter:" + file, "clickstream", new PrintStream(new ByteArrayOutputStream()));

            assertThat(Files.readAllLines(file))
                    .as("a second run reads the same two records")
                    .isEqualTo(lines);
            try (var replays = Files.list(data.resolve("dead-letter"))) {
                List<Path> dirs = replays.filter(Files::isDirectory).toList();
                assertThat(dirs)
                        .hasSize(2)
                        .allSatisfy(d -> assertThat(Files.readAllLines(d.resolve("clickstream.ndjson")))
                                .hasSize(1));
            }
        }
    }

    @Test
    void withTheMemoryBackend_andNoBridgeRunning_theReplayIsRefusedSayingHowToTargetOne_andNothingIsWritten()
            throws IOException {
        Path file = dir.resolve("clickstream.ndjson");
        Files.writeString(
                file,
                DeadLetterJson.write(new DeadLetter(
                                Instant.now(),
                                "clickstream",
                                new PutRequest("clickstream", "u1", "{}".getBytes(StandardCharsets.UTF_8), null, null),
                                new KinesisError("ServiceUnreachable", "down"),
                                10))
                        + "\n");
        int nobody = FreePorts.tcp();
        BridgeSettings settings = BridgeSettings.load(
                Optional.empty(),
                Map.of(),
                Map.of(
                        "bridge.dead-letter.dir",
                        dir.resolve("dead-letter").toString(),
                        "bridge.endpoint.port",
                        String.valueOf(nobody)));

        assertThatThrownBy(() -> ReplayCommand.run(settings, "dead-letter:" + file, null, quiet()))
                .isInstanceOf(ReplayCommand.ReplayRefused.class)
                .hasMessageContaining("http://127.0.0.1:" + nobody)
                .hasMessageContaining("start the bridge")
                .hasMessageContaining("--bridge.backend=aws");
        assertThat(dir.resolve("dead-letter")).doesNotExist();

        BridgeSettings noEndpoint =
                BridgeSettings.load(Optional.empty(), Map.of(), Map.of("bridge.endpoint.enabled", "false"));
        assertThatThrownBy(() -> ReplayCommand.run(noEndpoint, "dead-letter:" + file, null, quiet()))
                .isInstanceOf(ReplayCommand.ReplayRefused.class)
                .hasMessageContaining("bridge.endpoint.enabled is false");
    }

    private Path onlyReplayLetterDir() throws IOException {
        try (var dirs = Files.list(dir.resolve("dead-letter"))) {
            List<Path> all = dirs.toList();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).getFileName().toString()).startsWith("replay-");
            return all.get(0);
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
