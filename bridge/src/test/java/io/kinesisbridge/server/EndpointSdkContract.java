package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.ShardMap;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamResponse;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Every operation of the endpoint driven by the AWS SDK for Java v2 (KinesisAsyncClient over Netty), as a
 * producer or consumer would use it. Subclasses run it with CBOR 1.1 (the SDK's default) and with JSON 1.1;
 * after each test the endpoint must have seen only the encoding the subclass expects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndpointSdkContract {

    private final TestClock clock = new TestClock();
    private RunningEndpoint server;
    private KinesisAsyncClient kinesis;
    private String stream;

    /** The encoding the client is expected to use. */
    abstract WireFormat encoding();

    /** The client under test, speaking {@link #encoding()}. */
    abstract KinesisAsyncClient client(String url);

    @BeforeAll
    void startEndpoint() {
        server = RunningEndpoint.start(MemoryBackendSettings.defaults(), FaultSettings.none(), clock);
        kinesis = client(server.url());
    }

    @AfterAll
    void stopEndpoint() {
        kinesis.close();
        server.close();
    }

    @AfterEach
    void onlyTheExpectedEncodingWasSpoken(TestInfo test) {
        WireFormat other = encoding() == WireFormat.CBOR ? WireFormat.JSON : WireFormat.CBOR;
        assertThat(server.api.requests(other)).as("requests in " + other).isZero();
        assertThat(server.api.requests(encoding()))
                .as("requests in " + encoding())
                .isPositive();
    }

    private String newStream(TestInfo test, int shards) {
        stream = test.getTestMethod().orElseThrow().getName().replaceAll("[^a-zA-Z0-9_.-]", "-") + "-"
                + encoding().name().toLowerCase(Locale.ROOT);
        kinesis.createStream(b -> b.streamName(stream).shardCount(shards)).join();
        return stream;
    }

    // ---- streams ---------------------------------------------------------------------------------------------

    @Test
    void createStream_thenDescribe_showsEvenlySplitActiveShards(TestInfo test) {
        String name = newStream(test, 4);
        DescribeStreamResponse d =
                kinesis.describeStream(b -> b.streamName(name)).join();
        assertThat(d.streamDescription().streamStatus()).isEqualTo(StreamStatus.ACTIVE);
        assertThat(d.streamDescription().streamARN())
                .isEqualTo("arn:aws:kinesis:us-east-1:123456789012:stream/" + name);
        assertThat(d.streamDescription().hasMoreShards()).isFalse();
        assertThat(d.streamDescription().retentionPeriodHours()).isEqualTo(24);
        assertThat(d.streamDescription().streamModeDetails().streamMode()).isEqualTo(StreamMode.PROVISIONED);
        assertThat(d.streamDescription().streamCreationTimestamp())
                .isBetween(clock.instant().minusSeconds(60), clock.instant().plusSeconds(1));
        List<Shard> shards = d.streamDescription().shards();
        assertThat(shards)
                .extracting(Shard::shardId)
                .containsExactly(
                        "shardId-000000000000", "shardId-000000000001", "shardId-000000000002", "shardId-000000000003");
        BigInteger step = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(4));
        assertThat(shards.get(1).hashKeyRange().startingHashKey()).isEqualTo(step.toString());
        assertThat(shards.get(3).hashKeyRange().endingHashKey()).isEqualTo(HashKey.MAX_VALUE.toString());
        assertThat(shards.get(0).sequenceNumberRange().startingSequenceNumber()).hasSize(56);
        assertThat(shards.get(0).sequenceNumberRange().endingSequenceNumber()).isNull();
    }

    @Test
    void describeStream_pagesByLimitAndExclusiveStartShardId(TestInfo test) {
        String name = newStream(test, 5);
        DescribeStreamResponse first =
                kinesis.describeStream(b -> b.streamName(name).limit(2)).join();
        assertThat(first.streamDescription().shards())
                .extracting(Shard::shardId)
                .containsExactly("shardId-000000000000", "shardId-000000000001");
        assertThat(first.streamDescription().hasMoreShards()).isTrue();
        DescribeStreamResponse rest = kinesis.describeStream(
                        b -> b.streamName(name).exclusiveStartShardId("shardId-000000000001"))
                .join();
        assertThat(rest.streamDescription().shards()).hasSize(3);
        assertThat(rest.streamDescription().hasMoreShards()).isFalse();
    }

    @Test
    void describeStreamSummary_countsOpenShards(TestInfo test) {
        String name = newStream(test, 3);
        StreamDescriptionSummary s =
                kinesis.describeStreamSummary(b -> b.streamName(name)).join().streamDescriptionSummary();
        assertThat(s.streamName()).isEqualTo(name);
        assertThat(s.openShardCount()).isEqualTo(3);
        assertThat(s.consumerCount()).isZero();
        assertThat(s.streamStatus()).isEqualTo(StreamStatus.ACTIVE);
        assertThat(s.maxRecordSizeInKiB()).isEqualTo(1024);
    }

    @Test
    void createStream_onDemand_hasFourShards_andLargerRecordsWhenAsked(TestInfo test) {
        String name = "on-demand-" + encoding();
        kinesis.createStream(b -> b.streamName(name)
                        .streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND))
                        .maxRecordSizeInKiB(2048))
                .join();
        StreamDescriptionSummary s =
                kinesis.describeStreamSummary(b -> b.streamName(name)).join().streamDescriptionSummary();
        assertThat(s.openShardCount()).isEqualTo(4);
        assertThat(s.streamModeDetails().streamMode()).isEqualTo(StreamMode.ON_DEMAND);
        assertThat(s.maxRecordSizeInKiB()).isEqualTo(2048);
        byte[] big = new byte[1_500_000];
        assertThat(kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(big)))
                        .join()
                        .shardId())
                .startsWith("shardId-");
    }

    @Test
    void createStream_twice_isResourceInUse(TestInfo test) {
        String name = newStream(test, 1);
        assertError(
                () -> kinesis.createStream(b -> b.streamName(name).shardCount(1)),
                "ResourceInUseException",
                "Stream " + name + " under account 123456789012 already exists.");
    }

    @Test
    void createStream_withoutShardCountOrWithZero_isValidationException() {
        assertError(
                () -> kinesis.createStream(b -> b.streamName("x")),
                "ValidationException",
                "1 validation error detected: Value null at 'shardCount' failed to satisfy constraint: Member must not be null");
        assertError(
                () -> kinesis.createStream(b -> b.streamName("bad name").shardCount(0)),
                "ValidationException",
                "2 validation errors detected: Value '0' at 'shardCount' failed to satisfy constraint: Member must have value "
                        + "greater than or equal to 1; Value 'bad name' at 'streamName' failed to satisfy constraint: Member "
                        + "must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    @Test
    void deleteStream_removesIt_andASecondDeleteIsResourceNotFound(TestInfo test) {
        String name = newStream(test, 2);
        kinesis.deleteStream(b -> b.streamName(name)).join();
        assertThat(kinesis.listStreams(b -> b.limit(100)).join().streamNames()).doesNotContain(name);
        assertError(
                () -> kinesis.describeStream(b -> b.streamName(name)),
                "ResourceNotFoundException",
                "Stream " + name + " under account 123456789012 not found.");
        assertError(
                () -> kinesis.deleteStream(b -> b.streamName(name)),
                "ResourceNotFoundException",
                "Stream " + name + " under account 123456789012 not found.");
    }

    @Test
    void listStreams_pagesWithNextToken_andHasSummaries(TestInfo test) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "list-" + encoding() + "-" + i;
            kinesis.createStream(b -> b.streamName(name).shardCount(1)).join();
            names.add(name);
        }
        List<String> seen = new ArrayList<>();
        ListStreamsResponse page = kinesis.listStreams(b -> b.limit(2)).join();
        seen.addAll(page.streamNames());
        assertThat(page.streamSummaries()).extracting(s -> s.streamName()).isEqualTo(page.streamNames());
        while (page.hasMoreStreams()) {
            String token = page.nextToken();
            assertThat(token).isNotBlank();
            page = kinesis.listStreams(b -> b.nextToken(token).limit(2)).join();
            assertThat(page.streamNames()).hasSizeLessThanOrEqualTo(2);
            seen.addAll(page.streamNames());
        }
        assertThat(seen).containsAll(names).isSorted().doesNotHaveDuplicates();
        assertThat(kinesis.listStreams(b -> b.exclusiveStartStreamName(names.get(3)))
                        .join()
                        .streamNames())
                .contains(names.get(4))
                .doesNotContain(names.get(3));
    }

    @Test
    void listShards_pagesWithMaxResultsAndNextToken_andFilters(TestInfo test) {
        String name = newStream(test, 5);
        ListShardsResponse first =
                kinesis.listShards(b -> b.streamName(name).maxResults(3)).join();
        assertThat(first.shards()).hasSize(3);
        ListShardsResponse rest =
                kinesis.listShards(b -> b.nextToken(first.nextToken())).join();
        assertThat(rest.shards())
                .extracting(Shard::shardId)
                .containsExactly("shardId-000000000003", "shardId-000000000004");
        assertThat(rest.nextToken()).isNull();
        assertThat(kinesis.listShards(b -> b.streamName(name).exclusiveStartShardId("shardId-000000000003"))
                        .join()
                        .shards())
                .extracting(Shard::shardId)
                .containsExactly("shardId-000000000004");
        assertThat(kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(ShardFilterType.AT_LATEST)))
                        .join()
                        .shards())
                .hasSize(5);
        assertError(
                () -> kinesis.listShards(b -> b.maxResults(3)),
                "InvalidArgumentException",
                "Either NextToken or StreamName should be provided.");
        assertError(
                () -> kinesis.listShards(b -> b.streamName(name).nextToken(first.nextToken())),
                "InvalidArgumentException",
                "NextToken and StreamName cannot be provided together.");
    }

    // ---- writes ----------------------------------------------------------------------------------------------

    @Test
    void putRecord_routesByMd5OfTheKey_likeKinesis(TestInfo test) {
        String name = newStream(test, 4);
        PutRecordResponse r = kinesis.putRecord(
                        b -> b.streamName(name).partitionKey("user-42").data(bytes("hello")))
                .join();
        assertThat(r.shardId()).isEqualTo("shardId-000000000001");
        assertThat(r.sequenceNumber()).hasSize(56);
        assertThat(r.encryptionTypeAsString()).isEqualTo("NONE");
        PutRecordResponse explicit = kinesis.putRecord(b -> b.streamName(name)
                        .partitionKey("user-42")
                        .explicitHashKey(HashKey.MAX_VALUE.toString())
                        .data(bytes("x")))
                .join();
        assertThat(explicit.shardId()).isEqualTo("shardId-000000000003");
    }

    @Test
    void putRecord_sequenceNumberForOrdering_takesAnyNumberAwsIssues_refusesWhatAwsRefuses(TestInfo test) {
        String name = newStream(test, 1);
        PutRecordResponse first = kinesis.putRecord(
                        b -> b.streamName(name).partitionKey("k").data(bytes("1")))
                .join();
        PutRecordResponse second = kinesis.putRecord(b -> b.streamName(name)
                        .partitionKey("k")
                        .data(bytes("2"))
                        .sequenceNumberForOrdering(first.sequenceNumber()))
                .join();
        assertThat(new BigInteger(second.sequenceNumber())).isGreaterThan(new BigInteger(first.sequenceNumber()));
        String issuedByAws = "49039857307708443467467104868809893875799651909875269634";
        assertThat(kinesis.putRecord(b -> b.streamName(name)
                                .partitionKey("k")
                                .data(bytes("3"))
                                .sequenceNumberForOrdering(issuedByAws))
                        .join()
                        .sequenceNumber())
                .hasSize(56);
        String version4 = new BigInteger("20000000000000000000000000000000000000000000004", 16).toString();
        assertError(
                () -> kinesis.putRecord(b ->
                        b.streamName(name).partitionKey("k").data(bytes("4")).sequenceNumberForOrdering(version4)),
                "InvalidArgumentException",
                "ExclusiveMinimumSequenceNumber " + version4 + " used in PutRecord on stream " + name
                        + " under account 123456789012 is invalid.");
    }

    @Test
    void putRecord_invalidFields_getAwsValidationMessageInAwsOrder() {
        assertError(
                () -> kinesis.putRecord(
                        b -> b.streamName("").partitionKey("").data(bytes("x")).explicitHashKey("01")),
                "ValidationException",
                "4 validation errors detected: "
                        + "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; "
                        + "Value '01' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38}); "
                        + "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
                        + "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }

    @Test
    void putRecord_missingStream_isResourceNotFound_afterValidation() {
        assertError(
                () -> kinesis.putRecord(
                        b -> b.streamName("no-such-stream").partitionKey("k").data(bytes("x"))),
                "ResourceNotFoundException",
                "Stream no-such-stream under account 123456789012 not found.");
        assertError(
                () -> kinesis.putRecord(
                        b -> b.streamName("no-such-stream").partitionKey("").data(bytes("x"))),
                "ValidationException",
                "1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1");
    }

    @Test
    void putRecord_explicitHashKeyAboveTheRange_isInvalidArgument(TestInfo test) {
        String name = newStream(test, 1);
        String tooHigh = HashKey.SPACE.toString();
        assertError(
                () -> kinesis.putRecord(b -> b.streamName(name)
                        .partitionKey("k")
                        .explicitHashKey(tooHigh)
                        .data(bytes("x"))),
                "InvalidArgumentException",
                "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. " + "Specified value was "
                        + tooHigh);
    }

    @Test
    void putRecord_dataPlusKeyOverOneMebibyte_isRejected_neverTruncated(TestInfo test) {
        String name = newStream(test, 1);
        byte[] exactlyOneMiB = new byte[1_048_576];
        assertError(
                () -> kinesis.putRecord(
                        b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(exactlyOneMiB))),
                "InvalidArgumentException",
                "Record size of 1048577 bytes (data plus partition key) exceeds the maximum "
                        + "record size of 1048576 bytes of stream " + name + ".");
        assertError(
                () -> kinesis.putRecord(
                        b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(new byte[1_048_577]))),
                "ValidationException",
                "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]' "
                        + "at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576");
        assertThat(server.store.describe(name).recordCount()).isZero();
    }

    @Test
    void putRecords_answersEveryEntryInOrder(TestInfo test) {
        String name = newStream(test, 4);
        List<PutRecordsRequestEntry> entries = IntStream.range(0, 300)
                .mapToObj(i -> PutRecordsRequestEntry.builder()
                        .partitionKey("user-" + i)
                        .data(bytes("event " + i))
                        .build())
                .toList();
        PutRecordsResponse r =
                kinesis.putRecords(b -> b.streamName(name).records(entries)).join();
        assertThat(r.failedRecordCount()).isZero();
        assertThat(r.records()).hasSize(300).allSatisfy(e -> {
            assertThat(e.errorCode()).isNull();
            assertThat(e.sequenceNumber()).hasSize(56);
        });
        assertThat(r.records().get(42).shardId()).isEqualTo(shardOf("user-42", 4));
    }

    @Test
    void putRecords_limits_501RecordsAndFiveMebibytes(TestInfo test) {
        String name = newStream(test, 2);
        List<PutRecordsRequestEntry> tooMany = IntStream.range(0, 501)
                .mapToObj(i -> PutRecordsRequestEntry.builder()
                        .partitionKey("k")
                        .data(bytes("x"))
                        .build())
                .toList();
        assertThatThrownBy(() -> kinesis.putRecords(b -> b.streamName(name).records(tooMany))
                        .join())
                .cause()
                .isInstanceOfSatisfying(KinesisException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .startsWith(
                                    "1 validation error detected: Value '[com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310, ")
                            .endsWith(
                                    "]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500");
                });
        SdkBytes almostOneMiB = SdkBytes.fromByteArray(new byte[1_048_000]);
        List<PutRecordsRequestEntry> tooBig = IntStream.range(0, 6)
                .mapToObj(i -> PutRecordsRequestEntry.builder()
                        .partitionKey("k" + i)
                        .data(almostOneMiB)
                        .build())
                .toList();
        assertError(
                () -> kinesis.putRecords(b -> b.streamName(name).records(tooBig)),
                "InvalidArgumentException",
                "Records size exceeds 5 MB limit");
        assertThat(server.store.describe(name).recordCount()).isZero();
    }

    @Test
    void putRecords_entryErrors_nameTheEntry(TestInfo test) {
        String name = newStream(test, 1);
        assertError(
                () -> kinesis.putRecords(b -> b.streamName(name)
                        .records(
                                PutRecordsRequestEntry.builder()
                                        .partitionKey("ok")
                                        .data(bytes("x"))
                                        .build(),
                                PutRecordsRequestEntry.builder()
                                        .partitionKey("")
                                        .data(bytes("x"))
                                        .explicitHashKey("abc")
                                        .build())),
                "ValidationException",
                "2 validation errors detected: "
                        + "Value '' at 'records.2.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; "
                        + "Value 'abc' at 'records.2.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})");
    }

    // ---- reads and round trips -------------------------------------------------------------------------------

    @Test
    void roundTrip_putRecordAndPutRecords_readBackInOrder_withTheSameBytes(TestInfo test) {
        String name = newStream(test, 3);
        Map<String, List<byte[]>> sentByShard = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = binary(i);
            String key = "key-" + (i % 7);
            String shard;
            if (i % 2 == 0) {
                shard = kinesis.putRecord(
                                b -> b.streamName(name).partitionKey(key).data(SdkBytes.fromByteArray(data)))
                        .join()
                        .shardId();
            } else {
                shard = kinesis.putRecords(b -> b.streamName(name)
                                .records(PutRecordsRequestEntry.builder()
                                        .partitionKey(key)
                                        .data(SdkBytes.fromByteArray(data))
                                        .build()))
                        .join()
                        .records()
                        .get(0)
                        .shardId();
            }
            sentByShard.computeIfAbsent(shard, s -> new ArrayList<>()).add(data);
        }
        for (Map.Entry<String, List<byte[]>> e : sentByShard.entrySet()) {
            List<Record> read = readShard(name, e.getKey());
            assertThat(read).extracting(r -> r.data().asByteArray()).containsExactlyElementsOf(e.getValue());
            assertThat(read)
                    .extracting(Record::sequenceNumber)
                    .isSortedAccordingTo((a, b) -> new BigInteger(a).compareTo(new BigInteger(b)));
            assertThat(read.get(0).approximateArrivalTimestamp())
                    .isBetween(clock.instant().minusSeconds(60), clock.instant().plusSeconds(1));
        }
    }

    @Test
    void getShardIterator_everyType_startsWhereKinesisStarts(TestInfo test) {
        String name = newStream(test, 1);
        String shard = "shardId-000000000000";
        List<String> seqs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            seqs.add(kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(bytes("r" + n)))
                    .join()
                    .sequenceNumber());
        }
        assertThat(dataFrom(name, shard, b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
                .containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(dataFrom(
                        name,
                        shard,
                        b -> b.shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                                .startingSequenceNumber(seqs.get(2))))
                .containsExactly("r2", "r3", "r4");
        assertThat(dataFrom(
                        name,
                        shard,
                        b -> b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                .startingSequenceNumber(seqs.get(2))))
                .containsExactly("r3", "r4");
        String starting = kinesis.describeStream(b -> b.streamName(name))
                .join()
                .streamDescription()
                .shards()
                .get(0)
                .sequenceNumberRange()
                .startingSequenceNumber();
        assertThat(dataFrom(
                        name,
                        shard,
                        b -> b.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                                .startingSequenceNumber(starting)))
                .as("after the shard's starting number: from its first record")
                .containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(dataFrom(name, shard, b -> b.shardIteratorType(ShardIteratorType.LATEST)))
                .isEmpty();
        assertThat(dataFrom(
                        name,
                        shard,
                        b -> b.shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                                .timestamp(Instant.now().minusSeconds(60))))
                .containsExactly("r0", "r1", "r2", "r3", "r4");
        assertThat(dataFrom(name, "0", b -> b.shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
                .as("shard id given as a number")
                .isNotNull();
    }

    @Test
    void getShardIterator_errors(TestInfo test) {
        String name = newStream(test, 2);
        assertError(
                () -> kinesis.getShardIterator(b ->
                        b.streamName(name).shardId("shardId-000000000007").shardIteratorType(ShardIteratorType.LATEST)),
                "ResourceNotFoundException",
                "Shard shardId-000000000007 in stream " + name + " under account 123456789012 does not exist");
        assertError(
                () -> kinesis.getShardIterator(b -> b.streamName("nope")
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.LATEST)),
                "ResourceNotFoundException",
                "Shard shardId-000000000000 in stream nope under account 123456789012 does not exist");
        assertError(
                () -> kinesis.getShardIterator(b -> b.streamName(name)
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)),
                "InvalidArgumentException",
                "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber "
                        + "or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.");
        String seqOfShard1 = kinesis.putRecord(b -> b.streamName(name)
                        .partitionKey("k")
                        .explicitHashKey(HashKey.MAX_VALUE.toString())
                        .data(bytes("x")))
                .join()
                .sequenceNumber();
        assertError(
                () -> kinesis.getShardIterator(b -> b.streamName(name)
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                        .startingSequenceNumber(seqOfShard1)),
                "InvalidArgumentException",
                "Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with shardId-000000000000");
        String ofAnotherStream = "49039857307708443467467104868809893875799651909875269634";
        assertError(
                () -> kinesis.getShardIterator(b -> b.streamName(name)
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                        .startingSequenceNumber(ofAnotherStream)),
                "InvalidArgumentException",
                "StartingSequenceNumber " + ofAnotherStream + " used in GetShardIterator on shard "
                        + "shardId-000000000000 in stream " + name
                        + " under account 123456789012 is invalid because it did not come from this stream.");
        assertError(
                () -> kinesis.getShardIterator(b -> b.streamName(name)
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.AT_TIMESTAMP)),
                "InvalidArgumentException",
                "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.");
        assertError(
                () -> kinesis.getShardIterator(
                        b -> b.streamName(name).shardId("shardId-000000000000").shardIteratorType("SOMEWHERE")),
                "ValidationException",
                "1 validation error detected: Value 'SOMEWHERE' at 'shardIteratorType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]");
    }

    @Test
    void getRecords_limitAndNextIterator_andMillisBehindLatest(TestInfo test) {
        String name = newStream(test, 1);
        for (int i = 0; i < 10; i++) {
            int n = i;
            kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(bytes("r" + n)))
                    .join();
        }
        clock.advance(Duration.ofSeconds(2)); // the records are now 2 s old
        String it = kinesis.getShardIterator(b -> b.streamName(name)
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .join()
                .shardIterator();
        GetRecordsResponse first =
                kinesis.getRecords(b -> b.shardIterator(it).limit(4)).join();
        assertThat(first.records()).extracting(r -> r.data().asUtf8String()).containsExactly("r0", "r1", "r2", "r3");
        assertThat(first.millisBehindLatest()).isGreaterThanOrEqualTo(2000L);
        GetRecordsResponse second = kinesis.getRecords(b -> b.shardIterator(first.nextShardIterator()))
                .join();
        assertThat(second.records()).hasSize(6);
        assertThat(second.millisBehindLatest()).isZero();
        GetRecordsResponse empty = kinesis.getRecords(b -> b.shardIterator(second.nextShardIterator()))
                .join();
        assertThat(empty.records()).isEmpty();
        assertThat(empty.nextShardIterator()).isNotNull();
    }

    @Test
    void getRecords_badOrExpiredIterator(TestInfo test) {
        String name = newStream(test, 1);
        assertError(
                () -> kinesis.getRecords(b -> b.shardIterator("AAAAAAAAAAE=")),
                "InvalidArgumentException",
                "Invalid ShardIterator.");
        String it = kinesis.getShardIterator(b ->
                        b.streamName(name).shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.LATEST))
                .join()
                .shardIterator();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThatThrownBy(() -> kinesis.getRecords(b -> b.shardIterator(it)).join())
                .cause()
                .isInstanceOfSatisfying(KinesisException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredIteratorException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .matches("Iterator expired\\. The iterator was created at time "
                                    + "\\w{3} \\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\d{4} while right now it is .* which is further in the "
                                    + "future than the tolerated delay of 300000 milliseconds\\.");
                });
        String old = kinesis.getShardIterator(b ->
                        b.streamName(name).shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.LATEST))
                .join()
                .shardIterator();
        kinesis.deleteStream(b -> b.streamName(name)).join();
        newStream(test, 1); // the same name again: the old stream's iterators do not read the new one
        assertError(
                () -> kinesis.getRecords(b -> b.shardIterator(old)),
                "ResourceNotFoundException",
                "Shard shardId-000000000000 in stream " + name + " under account 123456789012 does not exist");
    }

    @Test
    void getRecords_atTheEndOfAClosedShard_namesItsChildren(TestInfo test) {
        String name = newStream(test, 1);
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(bytes("before")))
                .join();
        server.store.updateShardCount(name, 2);
        String it = kinesis.getShardIterator(b -> b.streamName(name)
                        .shardId("shardId-000000000000")
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .join()
                .shardIterator();
        GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it)).join();
        assertThat(r.records()).extracting(x -> x.data().asUtf8String()).containsExactly("before");
        assertThat(r.nextShardIterator()).isNull();
        assertThat(r.childShards())
                .extracting(ChildShard::shardId)
                .containsExactly("shardId-000000000001", "shardId-000000000002");
        assertThat(r.childShards().get(0).parentShards()).containsExactly("shardId-000000000000");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private List<Record> readShard(String name, String shardId) {
        String it = kinesis.getShardIterator(
                        b -> b.streamName(name).shardId(shardId).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .join()
                .shardIterator();
        List<Record> all = new ArrayList<>();
        while (true) {
            String current = it;
            GetRecordsResponse r =
                    kinesis.getRecords(b -> b.shardIterator(current)).join();
            all.addAll(r.records());
            if (r.records().isEmpty() || r.nextShardIterator() == null) {
                return all;
            }
            it = r.nextShardIterator();
        }
    }

    private List<String> dataFrom(String name, String shardId, Consumer<GetShardIteratorRequest.Builder> how) {
        String it = kinesis.getShardIterator(b -> how.accept(b.streamName(name).shardId(shardId)))
                .join()
                .shardIterator();
        return kinesis.getRecords(b -> b.shardIterator(it)).join().records().stream()
                .map(r -> r.data().asUtf8String())
                .toList();
    }

    static void assertError(Supplier<CompletableFuture<?>> call, String code, String message) {
        assertThatThrownBy(() -> call.get().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(KinesisException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
                    assertThat(e.statusCode()).isEqualTo(400);
                });
    }

    static String shardOf(String key, int shards) {
        return ShardMap.evenSplit(shards)
                .shardFor(HashKey.ofPartitionKey(key))
                .orElseThrow()
                .shardId();
    }

    static SdkBytes bytes(String s) {
        return SdkBytes.fromString(s, StandardCharsets.UTF_8);
    }

    /** Every byte value, shifted by {@code i}: what a text codec would break. */
    static byte[] binary(int i) {
        byte[] b = new byte[256 + i];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) (j + i);
        }
        return b;
    }
}
