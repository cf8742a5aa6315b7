package io.kinesisbridge.app;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.testing.RecordingBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

import static org.assertj.core.api.Assertions.assertThat;

class ReplayCommandTest {

    @TempDir
    Path dir;

    private BridgeSettings settings() {
        return BridgeSettings.load(Optional.empty(), Map.of(), Map.of(
                "bridge.dead-letter.dir", dir.resolve("dead-letter").toString(),
                "bridge.retry.base-delay-ms", "1", "bridge.retry.max-delay-ms", "10", "bridge.retry.max-attempts", "50"));
    }

    @Test
    void aCapturedStream_isReplayedToAnotherBackend_everyRecordOnce_perKeyOrderKept_underFaults() {
        Path capture = dir.resolve("capture");
        InMemoryKinesis offline = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), capture, false);
        offline.createStream("telemetry", 3);
        for (int i = 0; i < 3000; i++) {
            PutRecordCommand c = PutRecordValidator.validate(PutRequest.of("telemetry", "device-" + (i % 40),
                    ("device-" + (i % 40) + ":" + i).getBytes(StandardCharsets.UTF_8)), 1 << 20);
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
        lines.add(DeadLetterJson.write(new DeadLetter(Instant.now(), "clickstream",
                new PutRequest("clickstream", "u1", "{\"userId\":\"u1\"}".getBytes(StandardCharsets.UTF_8), null, "4900000"),
                new KinesisError("ServiceUnreachable", "down"), 10)));
        lines.add(DeadLetterJson.write(new DeadLetter(Instant.now(), "clickstream",
                new PutRequest("clickstream", null, "{}".getBytes(StandardCharsets.UTF_8), null, null),
                new KinesisError("MissingPartitionKey", "no key"), 0)));
        Files.write(file, lines);
        InMemoryKinesis target = new InMemoryKinesis(MemoryBackendSettings.defaults());
        target.createStream("clickstream", 4);
        target.createStream("other", 1);

        ReplayCommand.Outcome outcome = ReplayCommand.run(settings(), target, "dead-letter:" + file, "other", quiet());

        assertThat(outcome).isEqualTo(new ReplayCommand.Outcome(2, 1, 1));
        assertThat(target.readAll("other")).extracting(StreamRecord::partitionKey).containsExactly("u1");
        List<String> again = Files.readAllLines(dir.resolve("dead-letter/other.ndjson"));
        assertThat(again).hasSize(1);
        assertThat(DeadLetterJson.read(again.get(0)).error().code()).isEqualTo("ValidationException");
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
