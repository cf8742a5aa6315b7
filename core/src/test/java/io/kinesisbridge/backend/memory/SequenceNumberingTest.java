package io.kinesisbridge.backend.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.SequenceNumber;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-memory backend's sequence numbers: AWS's layout, a starting number below every record's, old journals kept. */
class SequenceNumberingTest {

    private static final String SHARD0 = "shardId-000000000000";

    @TempDir
    Path dir;

    private final long[] now = {1_767_225_600_000L};
    private final Clock clock = new Clock() {
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return Instant.ofEpochMilli(now[0]);
        }
    };

    private static PutRecordCommand record(String stream, String data) {
        return PutRecordValidator.validate(PutRequest.of(stream, "k", data.getBytes(StandardCharsets.UTF_8)), 1 << 20);
    }

    private static List<String> data(ReadResult r) {
        return r.records().stream()
                .map(x -> new String(x.data(), StandardCharsets.UTF_8))
                .toList();
    }

    private static List<String> from(InMemoryKinesis k, IteratorType type, String sequenceNumber) {
        return data(k.read(k.iterator("s", SHARD0, type, sequenceNumber, null), 100));
    }

    @Test
    void startingSequenceNumber_liesBelowTheFirstRecord_soAnIteratorAfterItReadsThatRecord() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("s", 1);
        String first = k.putRecord(record("s", "r0")).join().sequenceNumber();
        k.putRecord(record("s", "r1")).join();
        String starting = k.describe("s").shards().get(0).startingSequenceNumber();
        assertThat(new BigInteger(starting)).isLessThan(new BigInteger(first));
        assertThat(from(k, IteratorType.AFTER_SEQUENCE_NUMBER, starting)).containsExactly("r0", "r1");
        assertThat(from(k, IteratorType.AT_SEQUENCE_NUMBER, starting)).containsExactly("r0", "r1");
        assertThat(from(k, IteratorType.AFTER_SEQUENCE_NUMBER, first)).containsExactly("r1");
    }

    @Test
    void recordNumbers_areAwsVersion2_ofTheShard_itsCreationSecond_theRecordsPlaceAndSecond() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        long created = now[0] / 1000;
        k.createStream("s", 3);
        now[0] += 5_000;
        String n = k.putRecord(PutRecordValidator.validate(
                        new PutRequest("s", "k", new byte[1], "340282366920938463463374607431768211455", null),
                        1 << 20))
                .join()
                .sequenceNumber();
        assertThat(n).hasSize(56).startsWith("49");
        assertThat(SequenceNumber.parse(n)).contains(SequenceNumber.of(created, 2, 1, created + 5));
        assertThat(SequenceNumber.parse(k.describe("s").shards().get(2).startingSequenceNumber()))
                .contains(SequenceNumber.of(created, 2, 0, created));
        assertThat(k.readAll("s")).extracting(StreamRecord::sequenceNumber).containsExactly(n);
    }

    @Test
    void aClosedShardsEndingNumber_isItsLastRecords() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("s", 1);
        String last = k.putRecord(record("s", "r0")).join().sequenceNumber();
        k.updateShardCount("s", 2);
        assertThat(k.describe("s").shards().get(0).endingSequenceNumber()).contains(last);
    }

    @Test
    void startingSequenceNumbersOfOtherShardsAndStreams_areRefusedAsAwsRefusesThem() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("s", 2);
        now[0] += 1_000; // another creation second
        k.createStream("other", 2);
        String ofShard1 = k.describe("s").shards().get(1).startingSequenceNumber();
        String ofOtherStream = k.describe("other").shards().get(0).startingSequenceNumber();
        String version4 = new BigInteger("20000000000000000000000000000000000000000000004", 16).toString();
        assertRefused(
                k,
                ofShard1,
                KinesisError.INVALID_ARGUMENT,
                "Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with "
                        + SHARD0);
        assertRefused(
                k,
                ofOtherStream,
                KinesisError.INVALID_ARGUMENT,
                "StartingSequenceNumber " + ofOtherStream
                        + " used in GetShardIterator on shard " + SHARD0
                        + " in stream s under account 123456789012 is invalid because it "
                        + "did not come from this stream.");
        assertRefused(
                k,
                version4,
                KinesisError.INVALID_ARGUMENT,
                "StartingSequenceNumber " + version4 + " used in GetShardIterator on shard " + SHARD0
                        + " in stream s under account 123456789012 is invalid.");
        assertRefused(k, "0", KinesisError.INTERNAL_FAILURE, ""); // version 0 of another stream: AWS fails internally
        assertRefused(
                k,
                "5",
                KinesisError.INVALID_ARGUMENT,
                "Invalid StartingSequenceNumber. It encodes shardId-000000000005, while it was used in a call to a shard with "
                        + SHARD0);
    }

    private static void assertRefused(InMemoryKinesis k, String sequenceNumber, String code, String message) {
        assertThatThrownBy(() -> k.iterator("s", SHARD0, IteratorType.AT_SEQUENCE_NUMBER, sequenceNumber, null))
                .isInstanceOfSatisfying(
                        KinesisException.class, e -> assertThat(e.error()).isEqualTo(new KinesisError(code, message)));
    }

    @Test
    void aJournalOfAnEarlierVersion_keepsItsNumbers_withAStartingNumberBelowThem() throws IOException {
        InMemoryKinesis first = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        first.createStream("s", 1);
        first.putRecord(record("s", "r0")).join();
        first.putRecord(record("s", "r1")).join();
        first.close();
        writtenByAnEarlierVersion(dir);

        InMemoryKinesis restored = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false);
        String r0 = LegacySequenceNumbers.format(0, 0);
        String r1 = LegacySequenceNumbers.format(0, 1);
        assertThat(restored.readAll("s"))
                .extracting(StreamRecord::sequenceNumber)
                .containsExactly(r0, r1);
        String starting = restored.describe("s").shards().get(0).startingSequenceNumber();
        assertThat(new BigInteger(starting)).isLessThan(new BigInteger(r0));
        assertThat(from(restored, IteratorType.AFTER_SEQUENCE_NUMBER, starting)).containsExactly("r0", "r1");
        assertThat(from(restored, IteratorType.AT_SEQUENCE_NUMBER, r1)).containsExactly("r1");
        assertThat(from(restored, IteratorType.AFTER_SEQUENCE_NUMBER, r0)).containsExactly("r1");
        // the shard goes on numbering the old way, above its records, and takes its old numbers back for ordering
        String r2 = restored.putRecord(record("s", "r2").withSequenceNumberForOrdering(Optional.of(r1)))
                .join()
                .sequenceNumber();
        assertThat(r2).isEqualTo(LegacySequenceNumbers.format(0, 2));
        restored.close();
        assertThat(InMemoryKinesis.durable(MemoryBackendSettings.defaults(), dir, false)
                        .readAll("s"))
                .extracting(StreamRecord::sequenceNumber)
                .containsExactly(r0, r1, r2);
    }

    @Test
    void numbersOfTheEarlierLayout_areRefusedAsAwsRefusesThem_byStreamsThatNeverIssuedThem() {
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("s", 1);
        String old = LegacySequenceNumbers.format(0, 0);
        assertThatThrownBy(() -> k.putRecord(record("s", "x").withSequenceNumberForOrdering(Optional.of(old)))
                        .join())
                .cause()
                .isInstanceOfSatisfying(
                        KinesisException.class,
                        e -> assertThat(e.error().message())
                                .isEqualTo("ExclusiveMinimumSequenceNumber " + old
                                        + " used in PutRecord on stream s under account 123456789012 is invalid."));
        assertRefused(
                k,
                old,
                KinesisError.INVALID_ARGUMENT,
                "StartingSequenceNumber " + old + " used in GetShardIterator on shard " + SHARD0
                        + " in stream s under account 123456789012 is invalid because it did not come from this stream.");
    }

    /** Rewrites every stream.json as versions before AWS's layout wrote it: no numbering, no creation second per shard. */
    static void writtenByAnEarlierVersion(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path meta : files.filter(p -> p.getFileName().toString().equals("stream.json"))
                    .toList()) {
                ObjectNode stream = (ObjectNode) json.readTree(meta.toFile());
                stream.get("shards")
                        .forEach(shard -> ((ObjectNode) shard).remove(List.of("numbering", "createdSeconds")));
                json.writeValue(meta.toFile(), stream);
            }
        }
    }
}
