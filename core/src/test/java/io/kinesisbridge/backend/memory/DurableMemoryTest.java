package io.kinesisbridge.backend.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableMemoryTest {

    @TempDir
    Path dir;

    private static PutRecordCommand record(String key, String data) {
        return PutRecordValidator.validate(PutRequest.of("s", key, data.getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }

    private static List<String> contents(InMemoryKinesis k) {
        return k.readAll("s").stream()
                .map(r -> r.shardId() + "/" + r.sequenceNumber() + "/" + r.partitionKey() + "/"
                        + new String(r.data(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void streamsAndRecords_surviveARestart_withTheSameSequenceNumbers_andNewOnesContinueAbove() {
        InMemoryKinesis first = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        first.createStream("s", 3, 2 << 20);
        List<PutRecordCommand> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(record("k" + (i % 17), "record " + i));
        }
        first.putRecords("s", batch).join();
        String lastBefore = first.putRecord(record("k0", "last")).join().sequenceNumber();
        List<String> before = contents(first);
        first.close();

        InMemoryKinesis second = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        assertThat(second.streamNames()).containsExactly("s");
        assertThat(contents(second)).isEqualTo(before);
        assertThat(second.describeStream("s").join().maxRecordSizeBytes()).isEqualTo(2 << 20);
        String next = second.putRecord(record("k0", "after restart")).join().sequenceNumber();
        assertThat(new BigInteger(next)).isGreaterThan(new BigInteger(lastBefore));
        // a chain token issued before the restart is still valid after it
        assertThat(second.putRecord(record("k0", "chained").withSequenceNumberForOrdering(Optional.of(lastBefore)))
                        .join()
                        .sequenceNumber())
                .isNotNull();
        second.close();
    }

    @Test
    void anAcknowledgedPut_isOnDiskWithoutAClose_asAfterAKilledProcess() {
        InMemoryKinesis running = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        running.createStream("s", 1);
        running.putRecord(record("k", "acknowledged")).join();
        // no close(): a second process opening the directory sees what the first acknowledged
        InMemoryKinesis other = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        assertThat(contents(other)).hasSize(1).allMatch(s -> s.endsWith("/k/acknowledged"));
    }

    @Test
    void aTornLastFrame_isCutOff_theRecordsBeforeItAreKept_andAppendsGoOn() throws IOException {
        InMemoryKinesis first = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        first.createStream("s", 1);
        first.putRecord(record("k", "one")).join();
        first.putRecord(record("k", "two")).join();
        first.close();
        Path log = dir.resolve("s/shardId-000000000000.log");
        Files.write(log, new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND); // half a frame
        InMemoryKinesis second = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        assertThat(contents(second))
                .extracting(s -> s.substring(s.lastIndexOf('/') + 1))
                .containsExactly("one", "two");
        second.putRecord(record("k", "three")).join();
        second.close();
        InMemoryKinesis third = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        assertThat(contents(third))
                .extracting(s -> s.substring(s.lastIndexOf('/') + 1))
                .containsExactly("one", "two", "three");
    }

    @Test
    void aCorruptFrame_endsTheLoad_thereNotLater() throws IOException {
        InMemoryKinesis first = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        first.createStream("s", 1);
        for (String d : List.of("one", "two", "three")) {
            first.putRecord(record("k", d)).join();
        }
        first.close();
        Path log = dir.resolve("s/shardId-000000000000.log");
        byte[] bytes = Files.readAllBytes(log);
        int secondFrame = 8 + 20 + 1 + 3; // header + fixed payload + key "k" + "one"
        bytes[secondFrame + 8 + 21] ^= 0x55; // flip a byte inside the second record's data
        Files.write(log, bytes);
        InMemoryKinesis second = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        assertThat(contents(second))
                .extracting(s -> s.substring(s.lastIndexOf('/') + 1))
                .containsExactly("one");
    }

    @Test
    void reshardAndDelete_arePersisted() {
        InMemoryKinesis first = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        first.createStream("s", 2);
        first.createStream("gone", 1);
        first.putRecord(record("a", "before")).join();
        first.updateShardCount("s", 3);
        first.putRecord(record("a", "after")).join();
        first.deleteStream("gone");
        first.close();
        InMemoryKinesis second = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        assertThat(second.streamNames()).containsExactly("s");
        StreamSnapshot s = second.describe("s");
        assertThat(s.shards()).hasSize(5);
        assertThat(s.openShards()).hasSize(3);
        assertThat(contents(second)).hasSize(2);
        assertThat(Files.exists(dir.resolve("gone"))).isFalse();
    }

    @Test
    void trimmedRecords_stayTrimmedAfterARestart() {
        MemoryBackendSettings capped = MemoryBackendSettings.defaults().withMaxBytes(100_000);
        InMemoryKinesis first = InMemoryKinesis.durable(capped, dir, false);
        first.createStream("s", 1);
        for (int i = 0; i < 2000; i++) {
            first.putRecord(record("k", "x".repeat(100) + i)).join();
        }
        List<String> kept = contents(first);
        assertThat(first.describe("s").trimmedRecords()).isGreaterThan(1000);
        first.close();
        InMemoryKinesis second = InMemoryKinesis.durable(capped, dir, false);
        assertThat(contents(second)).isEqualTo(kept);
    }

    @Test
    void aStreamSavedUnderItsOwnName_byAnOlderVersion_isMovedToItsEncodedDirectory_andLoaded() throws IOException {
        InMemoryKinesis first = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        first.createStream("Logs", 1);
        first.createStream("plain", 1);
        first.putRecord(PutRecordValidator.validate(
                        PutRequest.of("Logs", "k", "kept".getBytes(StandardCharsets.UTF_8)), 1 << 20))
                .join();
        first.close();
        Files.move(dir.resolve("@+logs"), dir.resolve("Logs")); // the layout before the encoding

        InMemoryKinesis second = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);

        assertThat(second.streamNames()).containsExactly("Logs", "plain");
        assertThat(second.readAll("Logs"))
                .extracting(r -> new String(r.data(), StandardCharsets.UTF_8))
                .containsExactly("kept");
        assertThat(dir.resolve("@+logs/stream.json")).exists();
        assertThat(dir.resolve("Logs")).doesNotExist();
        second.close();
    }

    @Test
    void aStreamJsonInThePersistDirItself_writtenForStreamDotByAnOlderVersion_isNotLoaded_norDeleted()
            throws IOException {
        InMemoryKinesis first = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        first.createStream(".", 1);
        first.close();
        Files.copy(dir.resolve("@@/stream.json"), dir.resolve("stream.json"));
        Files.createDirectories(dir.resolve("not-a-stream"));
        Files.writeString(
                dir.resolve("not-a-stream/stream.json"),
                "{\"name\":\"other\",\"createdMillis\":0,\"maxRecordSizeBytes\":1048576,\"shards\":[]}");

        InMemoryKinesis second = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        second.deleteStream(".");
        second.close();

        assertThat(second.streamNames()).isEmpty();
        assertThat(dir.resolve("stream.json")).exists();
        assertThat(dir.resolve("not-a-stream/stream.json")).exists();
        assertThat(dir.resolve("@@")).doesNotExist();
    }
}
