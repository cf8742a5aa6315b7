package io.kinesisbridge.backend.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.KinesisException;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.PutRecordValidator;
import io.kinesisbridge.put.PutRequest;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.put.ShardMap;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class InMemoryKinesisTest {

    private static final int MIB = 1_048_576;

    private final InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());

    private static PutRecordCommand record(String stream, String key, String data) {
        return PutRecordValidator.validate(PutRequest.of(stream, key, data.getBytes(StandardCharsets.UTF_8)), MIB);
    }

    @Test
    void putRecord_landsOnTheShardTheHashKeyFormulaNames() {
        kinesis.createStream("s", 4);
        ShardMap map = ShardMap.evenSplit(4);
        for (int i = 0; i < 200; i++) {
            String key = "user-" + i;
            RecordResult.Accepted a = kinesis.putRecord(record("s", key, "x")).join();
            assertThat(a.shardId())
                    .isEqualTo(map.shardFor(HashKey.ofPartitionKey(key))
                            .orElseThrow()
                            .shardId());
            assertThat(a.encryptionType()).isEqualTo("NONE");
        }
        assertThat(kinesis.putRecord(record("s", "user-42", "x")).join().shardId())
                .isEqualTo("shardId-000000000001");
    }

    @Test
    void explicitHashKey_overridesTheKeyHash() {
        kinesis.createStream("s", 4);
        String top = HashKey.MAX_VALUE.toString();
        PutRecordCommand c = PutRecordValidator.validate(new PutRequest("s", "user-42", new byte[1], top, null), MIB);
        assertThat(kinesis.putRecord(c).join().shardId()).isEqualTo("shardId-000000000003");
        PutRecordCommand zero =
                PutRecordValidator.validate(new PutRequest("s", "user-42", new byte[1], "0", null), MIB);
        assertThat(kinesis.putRecord(zero).join().shardId()).isEqualTo("shardId-000000000000");
    }

    @Test
    void sequenceNumbers_are56Digits_strictlyIncreasingPerShard_inArrivalOrder() {
        kinesis.createStream("s", 2);
        List<PutRecordCommand> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(record("s", "k" + (i % 7), "d" + i));
        }
        PutRecordsResponse response = kinesis.putRecords("s", batch).join();
        assertThat(response.failedRecordCount()).isZero();
        BigInteger[] last = {BigInteger.valueOf(-1), BigInteger.valueOf(-1)};
        for (RecordResult r : response.results()) {
            RecordResult.Accepted a = (RecordResult.Accepted) r;
            assertThat(a.sequenceNumber()).hasSize(56).matches("49\\d{54}");
            int shard = a.shardId().endsWith("0") ? 0 : 1;
            BigInteger seq = new BigInteger(a.sequenceNumber());
            assertThat(seq).isGreaterThan(last[shard]);
            last[shard] = seq;
        }
        // reading back gives the same records in the same order per shard
        List<StreamRecord> all = kinesis.readAll("s");
        assertThat(all).hasSize(500);
        for (String shard : List.of("shardId-000000000000", "shardId-000000000001")) {
            List<String> seqs = all.stream()
                    .filter(r -> r.shardId().equals(shard))
                    .map(StreamRecord::sequenceNumber)
                    .toList();
            assertThat(seqs).isSorted();
        }
    }

    @Test
    void putToAMissingStream_isResourceNotFoundWithAwsMessage() {
        assertThatThrownBy(() -> kinesis.putRecord(record("nope", "k", "x")).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(KinesisException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.error())
                            .isEqualTo(new KinesisError(
                                    "ResourceNotFoundException", "Stream nope under account 123456789012 not found."));
                });
    }

    @Test
    void shardLimits_on_the1001stRecordInASecond_isThrottledWithAwsMessage_perEntryInPutRecords() {
        InMemoryKinesis limited =
                new InMemoryKinesis(MemoryBackendSettings.defaults().withShardLimits(true));
        limited.createStream("s", 1);
        List<PutRecordCommand> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(record("s", "k", "d"));
        }
        assertThat(limited.putRecords("s", batch).join().failedRecordCount()).isZero();
        assertThat(limited.putRecords("s", batch).join().failedRecordCount()).isZero();
        PutRecordsResponse third = limited.putRecords("s", batch).join();
        // the bucket refills at 1,000/s while the test runs, so a few may pass; most must fail
        assertThat(third.failedRecordCount()).isGreaterThan(400);
        RecordResult.Failed failed = (RecordResult.Failed) third.results().get(499);
        assertThat(failed.error())
                .isEqualTo(new KinesisError(
                        "ProvisionedThroughputExceededException",
                        "Rate exceeded for shard shardId-000000000000 in stream s under account 123456789012."));
        assertThat(failed.error().retryable()).isTrue();
    }

    @Test
    void shardLimits_on_bytesPerSecondAreEnforcedToo() {
        InMemoryKinesis limited =
                new InMemoryKinesis(MemoryBackendSettings.defaults().withShardLimits(true));
        limited.createStream("s", 1);
        String halfMiB = "x".repeat(MIB / 2);
        assertThat(limited.putRecord(record("s", "k", halfMiB)).join()).isNotNull();
        assertThat(limited.putRecord(record("s", "k", halfMiB.substring(10))).join())
                .isNotNull();
        assertThatThrownBy(() -> limited.putRecord(record("s", "k", halfMiB)).join())
                .cause()
                .isInstanceOfSatisfying(
                        KinesisException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("ProvisionedThroughputExceededException"));
    }

    @Test
    void shardLimits_off_byDefault_neverThrottle() {
        kinesis.createStream("s", 1);
        List<PutRecordCommand> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(record("s", "k", "d"));
        }
        for (int round = 0; round < 10; round++) {
            assertThat(kinesis.putRecords("s", batch).join().failedRecordCount())
                    .isZero();
        }
    }

    @Test
    void recordOverTheStreamsMaximumSize_isInvalidArgument_onA10MiBStreamItPasses() {
        kinesis.createStream("small", 1);
        kinesis.createStream("large", 1, 10 * MIB);
        PutRecordCommand big =
                new PutRecordCommand("small", "k", new byte[2 * MIB], Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> kinesis.putRecord(big).join())
                .cause()
                .isInstanceOfSatisfying(
                        KinesisException.class, e -> assertThat(e.errorCode()).isEqualTo("InvalidArgumentException"));
        PutRecordCommand bigOnLarge =
                new PutRecordCommand("large", "k", new byte[2 * MIB], Optional.empty(), Optional.empty());
        assertThat(kinesis.putRecord(bigOnLarge).join().shardId()).isEqualTo("shardId-000000000000");
        assertThat(kinesis.describeStream("large").join().maxRecordSizeBytes()).isEqualTo(10 * MIB);
    }

    @Test
    void sequenceNumberForOrdering_takesWhatAwsTakes_refusesWhatAwsRefuses() {
        kinesis.createStream("s", 2);
        kinesis.createStream("other", 1);
        String issued = kinesis.putRecord(record("s", "k", "a")).join().sequenceNumber();
        String ofAnotherStream =
                kinesis.putRecord(record("other", "k", "x")).join().sequenceNumber();
        for (String taken :
                List.of(issued, ofAnotherStream, "49039857307708443467467104868809893875799651909875269634", "12345")) {
            PutRecordCommand chained = record("s", "k", "b").withSequenceNumberForOrdering(Optional.of(taken));
            assertThat(new BigInteger(kinesis.putRecord(chained).join().sequenceNumber()))
                    .as(taken)
                    .isGreaterThan(new BigInteger(issued));
        }
        String version4 = new BigInteger("20000000000000000000000000000000000000000000004", 16).toString();
        PutRecordCommand bogus = record("s", "k", "c").withSequenceNumberForOrdering(Optional.of(version4));
        assertThatThrownBy(() -> kinesis.putRecord(bogus).join())
                .cause()
                .isInstanceOfSatisfying(
                        KinesisException.class,
                        e -> assertThat(e.error())
                                .isEqualTo(new KinesisError(
                                        "InvalidArgumentException",
                                        "ExclusiveMinimumSequenceNumber " + version4 + " used in PutRecord on stream s "
                                                + "under account 123456789012 is invalid.")));
    }

    @Test
    void iterators_trimHorizon_latest_atAndAfterSequence_atTimestamp() {
        long[] now = {1_000_000};
        Clock clock = new Clock() {
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        InMemoryKinesis k = new InMemoryKinesis(MemoryBackendSettings.defaults(), clock);
        k.createStream("s", 1);
        List<String> seqs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            now[0] += 1000;
            seqs.add(k.putRecord(record("s", "k", "r" + i)).join().sequenceNumber());
        }
        String shard = "shardId-000000000000";
        assertThat(data(k.read(k.iterator("s", shard, IteratorType.TRIM_HORIZON, null, null), 100)))
                .containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(data(k.read(k.iterator("s", shard, IteratorType.LATEST, null, null), 100)))
                .isEmpty();
        assertThat(data(k.read(k.iterator("s", shard, IteratorType.AT_SEQUENCE_NUMBER, seqs.get(2), null), 100)))
                .containsExactly("r2", "r3", "r4");
        assertThat(data(k.read(k.iterator("s", shard, IteratorType.AFTER_SEQUENCE_NUMBER, seqs.get(2), null), 100)))
                .containsExactly("r3", "r4");
        assertThat(data(k.read(
                        k.iterator("s", shard, IteratorType.AT_TIMESTAMP, null, Instant.ofEpochMilli(1_003_000)), 100)))
                .containsExactly("r2", "r3", "r4");
        // Limit and the next position; MillisBehindLatest is 0 at the tip
        ReadResult first = k.read(k.iterator("s", shard, IteratorType.TRIM_HORIZON, null, null), 2);
        assertThat(data(first)).containsExactly("r0", "r1");
        assertThat(first.millisBehindLatest()).isEqualTo(now[0] - 1_003_000);
        ReadResult rest = k.read(first.next().orElseThrow(), 100);
        assertThat(data(rest)).containsExactly("r2", "r3", "r4");
        assertThat(rest.millisBehindLatest()).isZero();
    }

    @Test
    void memoryCap_trimsTheOldestRecords_andCountsThem() {
        InMemoryKinesis capped =
                new InMemoryKinesis(MemoryBackendSettings.defaults().withMaxBytes(200_000));
        capped.createStream("s", 2);
        for (int i = 0; i < 2000; i++) {
            capped.putRecord(record("s", "k" + i, "x".repeat(100) + i)).join();
        }
        StreamSnapshot snapshot = capped.describe("s");
        assertThat(capped.footprintBytes()).isLessThanOrEqualTo(200_000);
        assertThat(snapshot.trimmedRecords()).isGreaterThan(1000);
        assertThat(snapshot.recordCount() + snapshot.trimmedRecords()).isEqualTo(2000);
        // what is left is the newest: the last record put is still readable
        assertThat(capped.readAll("s"))
                .extracting(r -> new String(r.data(), StandardCharsets.UTF_8))
                .contains("x".repeat(100) + 1999);
    }

    @Test
    void updateShardCount_closesOldShards_keepsTheirRecords_andRoutesOnTheNewMap() {
        kinesis.createStream("s", 2);
        kinesis.putRecord(record("s", "before", "1")).join();
        kinesis.updateShardCount("s", 4);
        StreamSnapshot snapshot = kinesis.describe("s");
        assertThat(snapshot.shards()).hasSize(6);
        assertThat(snapshot.openShards())
                .extracting(StreamSnapshot.Shard::shardId)
                .containsExactly(
                        "shardId-000000000002", "shardId-000000000003", "shardId-000000000004", "shardId-000000000005");
        assertThat(snapshot.shards().get(0).endingSequenceNumber()).isPresent();
        assertThat(snapshot.openShards().get(1).parentShardId()).contains("shardId-000000000000");
        String shard = kinesis.putRecord(record("s", "user-42", "2")).join().shardId();
        assertThat(shard).isEqualTo("shardId-000000000003");
        assertThat(kinesis.readAll("s")).hasSize(2);
        assertThat(kinesis.describeStream("s").join().shards().size()).isEqualTo(4);
    }

    @Test
    void createStream_twice_isResourceInUse_deleteStream_freesIt() {
        kinesis.createStream("s", 1);
        assertThatThrownBy(() -> kinesis.createStream("s", 1))
                .isInstanceOfSatisfying(
                        KinesisException.class, e -> assertThat(e.errorCode()).isEqualTo("ResourceInUseException"));
        kinesis.putRecord(record("s", "k", "x")).join();
        kinesis.deleteStream("s");
        assertThat(kinesis.streamNames()).isEmpty();
        assertThat(kinesis.footprintBytes()).isZero();
    }

    private static List<String> data(ReadResult r) {
        return r.records().stream()
                .map(x -> new String(x.data(), StandardCharsets.UTF_8))
                .toList();
    }
}
