package io.kinesisbridge.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.testing.HeldBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KinesisPutSinkTaskTest {

    private static final String STREAM = "orders";
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final InMemoryKinesis memory = new InMemoryKinesis(MemoryBackendSettings.defaults());
    private KinesisPutSinkTask task;

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
    }

    private KinesisPutSinkTask start(KinesisBackend backend, FakeSinkTaskContext context, String... extra) {
        Map<String, String> props = new HashMap<>(Map.of(
                KinesisSinkConfig.STREAM,
                STREAM,
                KinesisSinkConfig.RETRY_BASE_DELAY_MS,
                "1",
                KinesisSinkConfig.RETRY_MAX_DELAY_MS,
                "10"));
        for (int i = 0; i < extra.length; i += 2) {
            props.put(extra[i], extra[i + 1]);
        }
        task = new KinesisPutSinkTask(c -> backend);
        task.initialize(context);
        task.start(props);
        return task;
    }

    private static SinkRecord record(TopicPartition tp, long offset, String key, String value) {
        return new SinkRecord(tp.topic(), tp.partition(), null, key, null, value, offset);
    }

    private static Map<TopicPartition, OffsetAndMetadata> consumed(long p0, long p1) {
        return Map.of(P0, new OffsetAndMetadata(p0), P1, new OffsetAndMetadata(p1));
    }

    @Test
    void recordsOfTwoPartitions_arriveInTheStream_inPerKeyOrder_andTheirOffsetsBecomeCommittable() {
        memory.createStream(STREAM, 4);
        start(memory, new FakeSinkTaskContext(false, P0, P1));
        List<SinkRecord> batch = new ArrayList<>();
        Map<String, List<String>> sent = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            TopicPartition tp = i % 2 == 0 ? P0 : P1;
            String key = "k" + (i % 7);
            String value = key + "#" + i;
            batch.add(record(tp, i / 2, key, value));
            sent.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }

        task.put(batch);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> memory.readAll(STREAM).size() == 200);
        Map<String, List<String>> stored = new LinkedHashMap<>();
        for (StreamRecord r : memory.readAll(STREAM)) {
            stored.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>())
                    .add(new String(r.data(), StandardCharsets.UTF_8));
        }
        assertThat(stored).isEqualTo(sent);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(task.preCommit(consumed(100, 100))).isEqualTo(consumed(100, 100)));
    }

    @Test
    void orderingChain_putsAKeysRecordsInTheOrderOfTheirPartition() {
        memory.createStream(STREAM, 2);
        start(memory, new FakeSinkTaskContext(false, P0), KinesisSinkConfig.ORDERING, "chain");
        List<SinkRecord> batch = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(record(P0, i, "chained", "c#" + i));
            sent.add("c#" + i);
        }

        task.put(batch);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> memory.readAll(STREAM).size() == 30);
        assertThat(memory.readAll(STREAM))
                .extracting(r -> new String(r.data(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(sent);
    }

    @Test
    void preCommit_offersOnlyTheOffsetsOfAcknowledgedRecords() {
        HeldBackend held = held();
        start(held, new FakeSinkTaskContext(false, P0, P1));

        task.put(List.of(record(P0, 0, "a", "1"), record(P0, 1, "b", "2"), record(P1, 0, "c", "3")));

        await().atMost(Duration.ofSeconds(10)).until(() -> held.heldCount() > 0);
        assertThat(task.preCommit(consumed(2, 1))).isEmpty();
        held.open();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(task.preCommit(consumed(2, 1))).isEqualTo(consumed(2, 1)));
    }

    @Test
    void aFullPendingBudget_pausesThePartitions_keepsTheRecordsInOrder_andResumesOnceThereIsRoom() {
        HeldBackend held = held();
        FakeSinkTaskContext context = new FakeSinkTaskContext(false, P0, P1);
        start(held, context, KinesisSinkConfig.MAX_PENDING_BYTES, "2048");
        String value = "x".repeat(900);
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(record(P0, i, "same-key", value + i));
        }

        task.put(batch);

        assertThat(context.paused).containsExactlyInAnyOrder(P0, P1);
        assertThat(context.timeout).isPositive();
        assertThat(task.preCommit(consumed(6, 0))).doesNotContainKey(P0);
        held.open();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            task.put(List.of());
            assertThat(context.paused).isEmpty();
        });
        await().atMost(Duration.ofSeconds(20))
                .until(() -> memory.readAll(STREAM).size() == 6);
        List<String> stored = memory.readAll(STREAM).stream()
                .map(r -> new String(r.data(), StandardCharsets.UTF_8))
                .toList();
        assertThat(stored).containsExactly(value + 0, value + 1, value + 2, value + 3, value + 4, value + 5);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(task.preCommit(consumed(6, 0))).containsEntry(P0, new OffsetAndMetadata(6)));
    }

    @Test
    void aRecordKinesisWouldRefuse_goesToTheErrantRecordReporter_withAwsErrorTypeAndMessage() {
        memory.createStream(STREAM, 1);
        FakeSinkTaskContext context = new FakeSinkTaskContext(true, P0, P1);
        start(memory, context);
        SinkRecord tooLongKey = record(P0, 0, "k".repeat(257), "v");
        SinkRecord noKey = record(P0, 1, null, "v");

        task.put(List.of(tooLongKey, noKey, record(P0, 2, "ok", "v")));

        assertThat(context.reported).hasSize(2);
        assertThat(context.reported.get(0).record()).isSameAs(tooLongKey);
        assertThat(context.reported.get(0).error()).isInstanceOfSatisfying(KinesisRecordRejectedException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(KinesisError.VALIDATION);
            assertThat(e.getMessage())
                    .startsWith("ValidationException: 1 validation error detected: Value '")
                    .contains(
                            "at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256");
        });
        assertThat(((KinesisRecordRejectedException) context.reported.get(1).error()).errorCode())
                .isEqualTo(KinesisError.MISSING_PARTITION_KEY);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(task.preCommit(consumed(3, 0))).containsEntry(P0, new OffsetAndMetadata(3)));
        assertThat(memory.readAll(STREAM)).hasSize(1);
    }

    @Test
    void aRecordKinesisItselfRefuses_reachesTheReporter_asTheRecordThatWasSent() {
        FakeSinkTaskContext context = new FakeSinkTaskContext(true, P0);
        start(memory, context); // the stream does not exist: Kinesis answers ResourceNotFoundException
        SinkRecord sent = record(P0, 0, "k", "v");

        task.put(List.of(sent));

        await().atMost(Duration.ofSeconds(10)).until(() -> context.reported.size() == 1);
        assertThat(context.reported.get(0).record()).isSameAs(sent);
        assertThat(((KinesisRecordRejectedException) context.reported.get(0).error()).errorCode())
                .isEqualTo(KinesisError.RESOURCE_NOT_FOUND);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(task.preCommit(Map.of(P0, new OffsetAndMetadata(1))))
                        .containsEntry(P0, new OffsetAndMetadata(1)));
    }

    @Test
    void withoutAReporter_aRejectedRecord_goesToTheDeadLetterDirectory(@TempDir Path dir) throws Exception {
        memory.createStream(STREAM, 1);
        start(memory, new FakeSinkTaskContext(false, P0), KinesisSinkConfig.DEAD_LETTER_DIR, dir.toString());

        task.put(List.of(record(P0, 0, "k".repeat(300), "payload")));

        assertThat(task.preCommit(Map.of(P0, new OffsetAndMetadata(1)))).containsEntry(P0, new OffsetAndMetadata(1));
        List<String> lines = Files.readAllLines(dir.resolve(STREAM + ".ndjson"));
        assertThat(lines).hasSize(1);
        DeadLetter letter = DeadLetterJson.read(lines.get(0));
        assertThat(letter.error().code()).isEqualTo(KinesisError.VALIDATION);
        assertThat(letter.request().data()).isEqualTo("payload".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withNoDeadLetterOutputAtAll_aRejectedRecord_failsTheTask_andItsOffsetIsNotCommitted() {
        memory.createStream(STREAM, 1);
        start(memory, new FakeSinkTaskContext(false, P0));

        task.put(List.of(record(P0, 0, "ok", "v"), record(P0, 1, null, "v")));

        assertThatThrownBy(() -> task.preCommit(Map.of(P0, new OffsetAndMetadata(2))))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("t-0@1")
                .hasMessageContaining("errors.deadletterqueue.topic.name");
        assertThatThrownBy(() -> task.put(List.of())).isInstanceOf(ConnectException.class);
    }

    @Test
    void tombstones_areSkippedByDefault_butTheirOffsetsAreCommitted() {
        memory.createStream(STREAM, 1);
        start(memory, new FakeSinkTaskContext(false, P0));

        task.put(List.of(record(P0, 0, "k", null)));

        assertThat(task.preCommit(Map.of(P0, new OffsetAndMetadata(1)))).containsEntry(P0, new OffsetAndMetadata(1));
        assertThat(memory.readAll(STREAM)).isEmpty();
    }

    @Test
    void closingAPartition_waitsForItsRecordsInFlight() throws Exception {
        HeldBackend held = held();
        start(held, new FakeSinkTaskContext(false, P0, P1), KinesisSinkConfig.CLOSE_TIMEOUT_MS, "20000");
        task.put(List.of(record(P0, 0, "a", "1"), record(P1, 0, "b", "2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> held.heldCount() > 0);

        Thread closer = new Thread(() -> task.close(List.of(P0)));
        closer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        assertThat(closer.isAlive())
                .as("close waits while the partition's record is in flight")
                .isTrue();
        assertThat(memory.readAll(STREAM)).isEmpty();
        held.open();
        closer.join(20_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(memory.readAll(STREAM)).hasSize(2);
    }

    @Test
    void closingAPartition_dropsItsRecordsWaitingForRoom_unsent_andWaitsOnlyForThoseInFlight() {
        HeldBackend held = held();
        FakeSinkTaskContext context = new FakeSinkTaskContext(false, P0);
        start(held, context, KinesisSinkConfig.MAX_PENDING_BYTES, "2048", KinesisSinkConfig.CLOSE_TIMEOUT_MS, "600000");
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(record(P0, i, "same-key", "y".repeat(900) + i));
        }
        task.put(batch);
        assertThat(context.paused).contains(P0);

        held.open();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> task.close(List.of(P0)));

        await().atMost(Duration.ofSeconds(30)).until(closing::isDone);
        assertThat(memory.readAll(STREAM)).hasSize(2);
    }

    /** The in-memory stream of one shard behind a backend that holds every put until released. */
    private HeldBackend held() {
        memory.createStream(STREAM, 1);
        return new HeldBackend(memory);
    }
}
