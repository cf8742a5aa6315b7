package io.kinesisbridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.SequenceNumber;
import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import io.kinesisbridge.server.RunningEndpoint;
import io.kinesisbridge.server.SignatureCheck;
import io.kinesisbridge.testing.Kinesalite;
import io.kinesisbridge.testing.Programs;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The same JSON 1.1 requests sent to kinesalite 3.3.3 and to the bridge's endpoint give the same ShardIds for
 * the same keys and shard counts, the same shard ranges, and the same error status, {@code __type}, message and
 * message field, except where kinesalite is known to differ from AWS. Both run on 127.0.0.1 and report the
 * account 000000000000 (kinesalite's).
 *
 * <p>Known kinesalite deviations, each checked below as a deviation (kinesalite's answer, then AWS's from the bridge):
 * <ol>
 * <li>Unanchored patterns: kinesalite accepts ExplicitHashKey {@code 01}, {@code 1.5}, {@code 0x10} and
 *     SequenceNumberForOrdering {@code 01}, and range-checks {@code -1} and 40-digit keys, where AWS matches
 *     {@code 0|([1-9]\d{0,38})} against the whole value (ValidationException). Cases marked {@code differsFromAws}
 *     in src/test/resources/kinesalite/errors.json.</li>
 * <li>The partition key does not count towards kinesalite's 1 MiB record limit; on AWS data plus key must fit.</li>
 * <li>kinesalite has no 5 MiB PutRecords limit (only a 7 MiB body limit); AWS answers InvalidArgumentException.</li>
 * <li>kinesalite ignores DescribeStream's Limit; AWS pages the shards (HasMoreShards).</li>
 * <li>kinesalite refuses a version 2 SequenceNumberForOrdering whose shard creation time lies past 2477 (its
 *     "all f" case); its own test, checked against AWS, shows AWS takes it.</li>
 * <li>ListShards on a CREATING stream: kinesalite lists no shards; AWS answers ResourceInUseException.</li>
 * <li>Not compared: ListStreams paging (kinesalite lists 10 by default and has no NextToken or StreamSummaries;
 *     AWS 100), the sequence numbers' values (each emulator has its own clock and counters; both are AWS's version
 *     2 layout of the right shard), and throughput limits (kinesalite never throttles).</li>
 * </ol>
 * The bridge here checks signatures' structure as kinesalite always does (bridge.endpoint.require-signature) and
 * has kinesalite's shard limit; its streams are ACTIVE at once as kinesalite's are with createStreamMs 0, and a
 * second pair, both with 1 s CREATING and DELETING times, compares the stream lifecycle.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KinesaliteParityIT {

    private static final List<Integer> SHARD_COUNTS = List.of(1, 2, 3, 4, 16);
    private static final MemoryBackendSettings KINESALITE_ACCOUNT =
            new MemoryBackendSettings(false, 1000, 1_048_576, 512L << 20, "000000000000", "us-east-1");
    /** AWS's own example of its numbers: version 2, shard 0, created at second 0; no stream here issued it. */
    private static final String ISSUED_BY_AWS = "49039857307708443467467104868809893875799651909875269634";

    private Kinesalite kinesalite;
    private RunningEndpoint bridge;

    @BeforeAll
    void start() throws Exception {
        Programs.require(Kinesalite.installed(), "kinesalite (npm kinesalite@3.3.3 in -Dkinesalite.dir) and node");
        kinesalite = Kinesalite.start();
        bridge = RunningEndpoint.start(
                KINESALITE_ACCOUNT.withAccountShardLimit(10_000),
                FaultSettings.none(),
                Clock.systemUTC(),
                SignatureCheck.STRUCTURE);
        for (String url : urls()) {
            createActive(url, "parity", 4);
            createActive(url, "errs", 1);
            createActive(url, "three", 3);
            for (int n : SHARD_COUNTS) {
                createActive(url, "route-" + n, n);
            }
        }
    }

    @AfterAll
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (kinesalite != null) {
            kinesalite.close();
        }
    }

    private List<String> urls() {
        return List.of(kinesalite.url(), bridge.url());
    }

    private static void createActive(String url, String name, int shards) throws Exception {
        KinesisHttp.Answer created = KinesisHttp.call(
                url, "CreateStream", "{\"StreamName\":\"" + name + "\",\"ShardCount\":" + shards + "}");
        assertThat(created.status()).as(url + " " + created.raw()).isEqualTo(200);
        Awaitility.await(name + " active on " + url)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> KinesisHttp.call(url, "DescribeStream", "{\"StreamName\":\"" + name + "\"}")
                        .body()
                        .path("StreamDescription")
                        .path("StreamStatus")
                        .asText()
                        .equals("ACTIVE"));
    }

    // ---- routing ---------------------------------------------------------------------------------------------

    @Test
    void sameKeysAndShardCounts_giveTheSameShardIds_andTheSameRanges() throws Exception {
        List<String> keys =
                new ArrayList<>(List.of("user-42", "a", "0", "Москва", "東京", "😀", "ü", "u\u0308", "k k", "!#$%&"));
        for (int i = 1; i <= 30; i++) {
            keys.add("user-" + i);
        }
        for (int n : SHARD_COUNTS) {
            String stream = "route-" + n;
            JsonNode kinesaliteShards = KinesisHttp.call(
                            kinesalite.url(), "DescribeStream", "{\"StreamName\":\"" + stream + "\"}")
                    .body()
                    .get("StreamDescription")
                    .get("Shards");
            JsonNode bridgeShards = KinesisHttp.call(
                            bridge.url(), "DescribeStream", "{\"StreamName\":\"" + stream + "\"}")
                    .body()
                    .get("StreamDescription")
                    .get("Shards");
            assertThat(ranges(bridgeShards)).as("shard ranges of " + n).isEqualTo(ranges(kinesaliteShards));
            for (String key : keys) {
                ObjectNode put = KinesisHttp.JSON
                        .createObjectNode()
                        .put("StreamName", stream)
                        .put("PartitionKey", key)
                        .put("Data", "AA==");
                String k = KinesisHttp.call(kinesalite.url(), "PutRecord", put)
                        .body()
                        .get("ShardId")
                        .asText();
                String b = KinesisHttp.call(bridge.url(), "PutRecord", put)
                        .body()
                        .get("ShardId")
                        .asText();
                assertThat(b)
                        .as("key " + key + " on " + n + " shards")
                        .isEqualTo(k)
                        .isEqualTo(ShardMap.evenSplit(n)
                                .shardFor(HashKey.ofPartitionKey(key))
                                .map(ShardRange::shardId)
                                .orElseThrow());
            }
            for (JsonNode shard : kinesaliteShards) {
                for (String hashKey : List.of(
                        shard.get("HashKeyRange").get("StartingHashKey").asText(),
                        shard.get("HashKeyRange").get("EndingHashKey").asText())) {
                    ObjectNode put = KinesisHttp.JSON
                            .createObjectNode()
                            .put("StreamName", stream)
                            .put("PartitionKey", "k")
                            .put("ExplicitHashKey", hashKey)
                            .put("Data", "AA==");
                    assertThat(KinesisHttp.call(bridge.url(), "PutRecord", put)
                                    .body()
                                    .get("ShardId")
                                    .asText())
                            .as("ExplicitHashKey " + hashKey)
                            .isEqualTo(KinesisHttp.call(kinesalite.url(), "PutRecord", put)
                                    .body()
                                    .get("ShardId")
                                    .asText());
                }
            }
        }
    }

    private static List<String> ranges(JsonNode shards) {
        List<String> r = new ArrayList<>();
        shards.forEach(s -> r.add(s.get("ShardId").asText() + " "
                + s.get("HashKeyRange").get("StartingHashKey").asText() + "-"
                + s.get("HashKeyRange").get("EndingHashKey").asText()));
        return r;
    }

    // ---- errors ----------------------------------------------------------------------------------------------

    /** A request both get; {@code messagePrefix} > 0 compares only that many characters (the rest holds clocks). */
    private record Case(String name, String operation, String body, int messagePrefix) {
        Case(String name, String operation, String body) {
            this(name, operation, body, 0);
        }
    }

    private static List<Case> otherOperations() {
        return List.of(
                new Case("create-existing", "CreateStream", "{\"StreamName\":\"parity\",\"ShardCount\":1}"),
                new Case("create-no-shard-count", "CreateStream", "{\"StreamName\":\"x\"}"),
                new Case(
                        "create-bad-name-zero-shards",
                        "CreateStream",
                        "{\"StreamName\":\"bad name!\",\"ShardCount\":0}"),
                new Case("create-too-many-shards", "CreateStream", "{\"StreamName\":\"x\",\"ShardCount\":100001}"),
                new Case("create-shard-count-string", "CreateStream", "{\"StreamName\":\"x\",\"ShardCount\":\"2\"}"),
                new Case("create-name-number", "CreateStream", "{\"StreamName\":5,\"ShardCount\":2}"),
                new Case("delete-missing", "DeleteStream", "{\"StreamName\":\"nope\"}"),
                new Case("delete-no-name", "DeleteStream", "{}"),
                new Case("describe-missing", "DescribeStream", "{\"StreamName\":\"nope\"}"),
                new Case("describe-limit-0", "DescribeStream", "{\"StreamName\":\"parity\",\"Limit\":0}"),
                new Case("describe-limit-bool", "DescribeStream", "{\"StreamName\":\"parity\",\"Limit\":true}"),
                new Case(
                        "describe-bad-start",
                        "DescribeStream",
                        "{\"StreamName\":\"parity\",\"ExclusiveStartShardId\":\"a b\"}"),
                new Case("summary-missing", "DescribeStreamSummary", "{\"StreamName\":\"nope\"}"),
                new Case("list-streams-limit-0", "ListStreams", "{\"Limit\":0}"),
                new Case("list-streams-limit-10001", "ListStreams", "{\"Limit\":10001}"),
                new Case("list-streams-start-list", "ListStreams", "{\"ExclusiveStartStreamName\":[]}"),
                new Case("list-shards-nothing", "ListShards", "{}"),
                new Case("list-shards-both", "ListShards", "{\"StreamName\":\"parity\",\"NextToken\":\"abc\"}"),
                new Case("list-shards-missing", "ListShards", "{\"StreamName\":\"nope\"}"),
                new Case("list-shards-max-0", "ListShards", "{\"StreamName\":\"parity\",\"MaxResults\":0}"),
                new Case(
                        "iterator-no-type",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"shardId-000000000000\"}"),
                new Case(
                        "iterator-bad-type",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"shardId-000000000000\",\"ShardIteratorType\":\"FIRST\"}"),
                new Case("iterator-nothing", "GetShardIterator", "{}"),
                new Case(
                        "iterator-unknown-shard",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"shardId-000000000009\",\"ShardIteratorType\":\"LATEST\"}"),
                new Case(
                        "iterator-unparseable-shard",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"abc\",\"ShardIteratorType\":\"LATEST\"}"),
                new Case(
                        "iterator-missing-stream",
                        "GetShardIterator",
                        "{\"StreamName\":\"nope\",\"ShardId\":\"shardId-000000000000\",\"ShardIteratorType\":\"LATEST\"}"),
                new Case(
                        "iterator-latest-with-sequence",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"0\",\"ShardIteratorType\":\"LATEST\",\"StartingSequenceNumber\":\"1\"}"),
                new Case(
                        "iterator-at-sequence-without",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"0\",\"ShardIteratorType\":\"AT_SEQUENCE_NUMBER\"}"),
                new Case(
                        "iterator-at-timestamp-without",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"0\",\"ShardIteratorType\":\"AT_TIMESTAMP\"}"),
                new Case(
                        "iterator-timestamp-string",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"0\",\"ShardIteratorType\":\"AT_TIMESTAMP\",\"Timestamp\":\"now\"}"),
                new Case(
                        "iterator-timestamp-future",
                        "GetShardIterator",
                        "{\"StreamName\":\"parity\",\"ShardId\":\"0\",\"ShardIteratorType\":\"AT_TIMESTAMP\",\"Timestamp\":4102444800}",
                        "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: 4102444800000, currentTimestampInMillis: "
                                .length()),
                new Case("records-no-iterator", "GetRecords", "{}"),
                new Case("records-empty-iterator", "GetRecords", "{\"ShardIterator\":\"\"}"),
                new Case("records-bad-iterator", "GetRecords", "{\"ShardIterator\":\"AAAAAAAAAAGQ\"}"),
                new Case("records-limit-0", "GetRecords", "{\"ShardIterator\":\"x\",\"Limit\":0}"),
                new Case("records-limit-string", "GetRecords", "{\"ShardIterator\":\"x\",\"Limit\":\"5\"}"),
                new Case("unknown-operation", "FlyToTheMoon", "{}"));
    }

    @TestFactory
    Stream<DynamicTest> otherOperations_sameErrors() {
        return otherOperations().stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    KinesisHttp.Answer k = KinesisHttp.call(kinesalite.url(), c.operation(), c.body());
                    KinesisHttp.Answer b = KinesisHttp.call(bridge.url(), c.operation(), c.body());
                    assertSame(c, k, b);
                }));
    }

    @TestFactory
    Stream<DynamicTest> capturedPutCases_sameAnswers_exceptKnownDeviations() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : captured()) {
            if (c.path("requestAbbreviated").asBoolean()) {
                continue; // rebuilt below: 1 MiB data, 501 records
            }
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                KinesisHttp.Answer k =
                        KinesisHttp.call(kinesalite.url(), c.get("operation").asText(), c.get("request"));
                KinesisHttp.Answer b =
                        KinesisHttp.call(bridge.url(), c.get("operation").asText(), c.get("request"));
                if (c.has("differsFromAws")) {
                    // deviation 1: kinesalite's unanchored patterns
                    assertThat(k.status()).isEqualTo(c.get("status").asInt());
                    assertThat(b.status()).isEqualTo(400);
                    assertThat(b.type()).isEqualTo("ValidationException");
                    assertThat(b.message()).contains("Member must satisfy regular expression pattern");
                    return;
                }
                assertSame(new Case(c.get("name").asText(), c.get("operation").asText(), ""), k, b);
            }));
        }
        return tests.stream();
    }

    @Test
    void deviation1_anUnanchoredSequenceNumberPattern_inGetShardIterator() throws Exception {
        String request =
                "{\"StreamName\":\"parity\",\"ShardId\":\"0\",\"ShardIteratorType\":\"AT_SEQUENCE_NUMBER\",\"StartingSequenceNumber\":\"x1\"}";
        assertThat(KinesisHttp.call(kinesalite.url(), "GetShardIterator", request)
                        .type())
                .isEqualTo("InvalidArgumentException");
        KinesisHttp.Answer b = KinesisHttp.call(bridge.url(), "GetShardIterator", request);
        assertThat(b.type()).isEqualTo("ValidationException");
        assertThat(b.message())
                .isEqualTo("1 validation error detected: Value 'x1' at 'startingSequenceNumber' failed to satisfy "
                        + "constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})");
    }

    @Test
    void fiveHundredAndOneRecords_sameValidationError() throws Exception {
        ObjectNode request = KinesisHttp.JSON.createObjectNode().put("StreamName", "errs");
        ArrayNode records = request.putArray("Records");
        for (int i = 0; i < 501; i++) {
            records.addObject().put("PartitionKey", "k").put("Data", "AA==");
        }
        assertSame(
                new Case("501-records", "PutRecords", ""),
                KinesisHttp.call(kinesalite.url(), "PutRecords", request),
                KinesisHttp.call(bridge.url(), "PutRecords", request));
    }

    @Test
    void deviation2_thePartitionKeyCountsTowardsTheRecordLimit_onAwsNotOnKinesalite() throws Exception {
        ObjectNode request = KinesisHttp.JSON
                .createObjectNode()
                .put("StreamName", "errs")
                .put("PartitionKey", "k")
                .put("Data", Base64.getEncoder().encodeToString(new byte[1_048_576]));
        assertThat(KinesisHttp.call(kinesalite.url(), "PutRecord", request).status())
                .isEqualTo(200);
        KinesisHttp.Answer b = KinesisHttp.call(bridge.url(), "PutRecord", request);
        assertThat(b.type()).isEqualTo("InvalidArgumentException");
        assertThat(b.message())
                .isEqualTo(
                        "Record size of 1048577 bytes (data plus partition key) exceeds the maximum record size of 1048576 bytes of stream errs.");
    }

    @Test
    void deviation3_putRecordsOverFiveMebibytes_isRefusedOnAwsNotOnKinesalite() throws Exception {
        ObjectNode request = KinesisHttp.JSON.createObjectNode().put("StreamName", "errs");
        ArrayNode records = request.putArray("Records");
        String data = Base64.getEncoder().encodeToString(new byte[900_000]);
        for (int i = 0; i < 6; i++) {
            records.addObject().put("PartitionKey", "k" + i).put("Data", data);
        }
        KinesisHttp.Answer k = KinesisHttp.call(kinesalite.url(), "PutRecords", request);
        assertThat(k.status()).isEqualTo(200);
        assertThat(k.body().get("FailedRecordCount").asInt()).isZero();
        KinesisHttp.Answer b = KinesisHttp.call(bridge.url(), "PutRecords", request);
        assertThat(b.status()).isEqualTo(400);
        assertThat(b.type()).isEqualTo("InvalidArgumentException");
        assertThat(b.message()).isEqualTo("Records size exceeds 5 MB limit");
    }

    @Test
    void deviation4_describeStreamLimit_pagesOnAwsNotOnKinesalite() throws Exception {
        String request = "{\"StreamName\":\"three\",\"Limit\":1}";
        assertThat(KinesisHttp.call(kinesalite.url(), "DescribeStream", request)
                        .body()
                        .get("StreamDescription")
                        .get("Shards"))
                .hasSize(3);
        JsonNode b =
                KinesisHttp.call(bridge.url(), "DescribeStream", request).body().get("StreamDescription");
        assertThat(b.get("Shards")).hasSize(1);
        assertThat(b.get("HasMoreShards").asBoolean()).isTrue();
    }

    @Test
    void aRoundTrip_readsBackTheSameBytes_onBoth() throws Exception {
        for (String url : urls()) {
            List<String> sent = List.of("AAECAwQ=", "/w==", Base64.getEncoder().encodeToString("hello".getBytes()));
            for (String data : sent) {
                KinesisHttp.call(
                        url,
                        "PutRecord",
                        "{\"StreamName\":\"route-1\",\"PartitionKey\":\"rt\",\"Data\":\"" + data + "\"}");
            }
            String it = KinesisHttp.call(
                            url,
                            "GetShardIterator",
                            "{\"StreamName\":\"route-1\",\"ShardId\":\"shardId-000000000000\","
                                    + "\"ShardIteratorType\":\"TRIM_HORIZON\"}")
                    .body()
                    .get("ShardIterator")
                    .asText();
            List<String> read = new ArrayList<>();
            KinesisHttp.call(url, "GetRecords", "{\"ShardIterator\":\"" + it + "\",\"Limit\":10000}")
                    .body()
                    .get("Records")
                    .forEach(r -> {
                        if (r.get("PartitionKey").asText().equals("rt")) {
                            read.add(r.get("Data").asText());
                        }
                    });
            assertThat(read).as(url).containsExactlyElementsOf(sent);
        }
    }

    // ---- sequence numbers, request ids, signatures, the shard limit, the stream lifecycle ---------------------

    @Test
    void anIteratorAfterTheStartingSequenceNumber_readsTheShardsFirstRecord_onBoth() throws Exception {
        for (String url : urls()) {
            createActive(url, "after-start", 1);
            for (String data : List.of("YQ==", "Yg==", "Yw==")) {
                KinesisHttp.call(
                        url,
                        "PutRecord",
                        "{\"StreamName\":\"after-start\",\"PartitionKey\":\"k\",\"Data\":\"" + data + "\"}");
            }
            String starting = KinesisHttp.call(url, "DescribeStream", "{\"StreamName\":\"after-start\"}")
                    .body()
                    .get("StreamDescription")
                    .get("Shards")
                    .get(0)
                    .get("SequenceNumberRange")
                    .get("StartingSequenceNumber")
                    .asText();
            String it = KinesisHttp.call(
                            url,
                            "GetShardIterator",
                            "{\"StreamName\":\"after-start\",\"ShardId\":\"shardId-000000000000\","
                                    + "\"ShardIteratorType\":\"AFTER_SEQUENCE_NUMBER\",\"StartingSequenceNumber\":\""
                                    + starting + "\"}")
                    .body()
                    .get("ShardIterator")
                    .asText();
            List<String> read = new ArrayList<>();
            KinesisHttp.call(url, "GetRecords", "{\"ShardIterator\":\"" + it + "\"}")
                    .body()
                    .get("Records")
                    .forEach(r -> read.add(r.get("Data").asText()));
            assertThat(read).as(url).containsExactly("YQ==", "Yg==", "Yw==");
        }
    }

    @Test
    void sequenceNumbersOfBoth_areAwsVersion2_ofTheShardTheyCameFrom() throws Exception {
        for (String url : urls()) {
            for (String key : List.of("a", "user-42", "b", "c", "d", "e")) {
                JsonNode put = KinesisHttp.call(
                                url,
                                "PutRecord",
                                "{\"StreamName\":\"route-4\",\"PartitionKey\":\"" + key + "\",\"Data\":\"AA==\"}")
                        .body();
                SequenceNumber n =
                        SequenceNumber.parse(put.get("SequenceNumber").asText()).orElseThrow();
                assertThat(put.get("SequenceNumber").asText()).hasSize(56);
                assertThat(n.version()).as(url).isEqualTo(2);
                assertThat(n.shardId()).as(url).isEqualTo(put.get("ShardId").asText());
            }
        }
    }

    private static String hexDecimal(String hex) {
        return new BigInteger(hex, 16).toString();
    }

    @TestFactory
    Stream<DynamicTest> sequenceNumberForOrdering_sameAnswers() {
        String future = hexDecimal("2" + "0".repeat(28)
                + String.format("%09x", System.currentTimeMillis() / 1000 + 100_000) + "000000002");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("issued-by-aws", ISSUED_BY_AWS);
        cases.put("small-version-0", "123");
        cases.put("version-1", hexDecimal("20000000000000000000000000000000000000000000001"));
        cases.put("8-near-the-end", hexDecimal("20000000000000000000000000000000000000800000002"));
        cases.put("last-digit-0", hexDecimal("20000000000000000000000000000000000000000000000"));
        cases.put("version-3", hexDecimal("20000000000000000000000000000000000000000000003"));
        cases.put("version-4", hexDecimal("20000000000000000000000000000000000000000000004"));
        cases.put("initial-3", hexDecimal("30000000000000000000000000000000000000000000001"));
        cases.put("initial-1", hexDecimal("1ffffffffff7fffffffffffffff000000000007fffffff2"));
        cases.put("8-in-the-index", hexDecimal("20000000000800000000000000000000000000000000002"));
        cases.put("version-0-large-date", hexDecimal("13bb2cc3d80000000000000000000000"));
        cases.put("from-the-future", future);
        return cases.entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    String request =
                            "{\"StreamName\":\"errs\",\"PartitionKey\":\"k\",\"Data\":\"AA==\",\"SequenceNumberForOrdering\":\""
                                    + e.getValue() + "\"}";
                    assertSame(
                            new Case(e.getKey(), "PutRecord", request),
                            KinesisHttp.call(kinesalite.url(), "PutRecord", request),
                            KinesisHttp.call(bridge.url(), "PutRecord", request));
                }));
    }

    @Test
    void deviation5_aVersion2NumberCreatedPast2477_isRefusedByKinesalite_takenByAws() throws Exception {
        String request =
                "{\"StreamName\":\"errs\",\"PartitionKey\":\"k\",\"Data\":\"AA==\",\"SequenceNumberForOrdering\":\""
                        + hexDecimal("2ffffffffff7fffffffffffffff000000000007fffffff2") + "\"}";
        assertThat(KinesisHttp.call(kinesalite.url(), "PutRecord", request).type())
                .isEqualTo("InvalidArgumentException");
        assertThat(KinesisHttp.call(bridge.url(), "PutRecord", request).status())
                .isEqualTo(200);
    }

    @TestFactory
    Stream<DynamicTest> startingSequenceNumber_sameAnswers() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("of-shard-5", "5");
        cases.put("version-0-of-another-stream", "0");
        cases.put("version-2-of-another-stream", ISSUED_BY_AWS);
        cases.put("version-1-of-another-stream", hexDecimal("20000000000000000000000000000000000000000000001"));
        cases.put("version-4", hexDecimal("20000000000000000000000000000000000000000000004"));
        cases.put("version-0-large-date", hexDecimal("13bb2cc3d80000000000000000000000"));
        cases.put("8-in-the-index", hexDecimal("20000000000800000000000000000000000000000000002"));
        return cases.entrySet().stream()
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    String request =
                            "{\"StreamName\":\"parity\",\"ShardId\":\"shardId-000000000000\",\"ShardIteratorType\":"
                                    + "\"AT_SEQUENCE_NUMBER\",\"StartingSequenceNumber\":\"" + e.getValue() + "\"}";
                    assertSame(
                            new Case(e.getKey(), "GetShardIterator", request),
                            KinesisHttp.call(kinesalite.url(), "GetShardIterator", request),
                            KinesisHttp.call(bridge.url(), "GetShardIterator", request));
                }));
    }

    @Test
    void requestIds_haveAwsShape_onBoth() throws Exception {
        for (String url : urls()) {
            KinesisHttp.Answer a = KinesisHttp.call(url, "ListStreams", "{}");
            assertThat(a.headers().firstValue("x-amzn-RequestId"))
                    .as(url)
                    .hasValueSatisfying(id ->
                            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
            assertThat(a.headers().firstValue("x-amz-id-2"))
                    .as(url)
                    .hasValueSatisfying(id ->
                            assertThat(Base64.getDecoder().decode(id).length).isBetween(72, 80));
        }
    }

    @TestFactory
    Stream<DynamicTest> signaturesOfTheWrongStructure_sameAnswers() {
        record Unsigned(String name, String path, String[] headers) {}
        List<Unsigned> cases = List.of(
                new Unsigned("none", "/", new String[0]),
                new Unsigned("not-sigv4", "/", new String[] {"Authorization", "X"}),
                new Unsigned("no-signed-headers", "/", new String[] {
                    "Authorization", "AWS4- Signature=b, Credential=a", "Date", "a"
                }),
                new Unsigned("header-and-query", "/?X-Amz-Algorithm", new String[] {"Authorization", "X"}),
                new Unsigned("empty-query", "/?X-Amz-Algorithm", new String[0]),
                new Unsigned(
                        "query-without-algorithm",
                        "/?X-Amz-Credential=a&X-Amz-Signature=b&X-Amz-SignedHeaders=c&X-Amz-Date=d",
                        new String[0]));
        return cases.stream()
                .map(c -> DynamicTest.dynamicTest(
                        c.name(),
                        () -> assertSame(
                                new Case(c.name(), "ListStreams", "{}"),
                                KinesisHttp.unsigned(kinesalite.url() + c.path(), "ListStreams", "{}", c.headers()),
                                KinesisHttp.unsigned(bridge.url() + c.path(), "ListStreams", "{}", c.headers()))));
    }

    @Test
    void aStreamPastTheShardLimit_sameLimitExceededAnswer() throws Exception {
        String request = "{\"StreamName\":\"too-big\",\"ShardCount\":10000}";
        assertSame(
                new Case("over-the-limit", "CreateStream", request),
                KinesisHttp.call(kinesalite.url(), "CreateStream", request),
                KinesisHttp.call(bridge.url(), "CreateStream", request));
    }

    @Test
    void streamsCreatingAndDeleting_sameStatusesAndAnswers() throws Exception {
        try (Kinesalite slowKinesalite =
                        Kinesalite.start("createStreamMs:1000,deleteStreamMs:1000,updateStreamMs:0,shardLimit:10000");
                RunningEndpoint slowBridge = RunningEndpoint.start(
                        KINESALITE_ACCOUNT.withStreamDelays(Duration.ofSeconds(1), Duration.ofSeconds(1)),
                        FaultSettings.none(),
                        Clock.systemUTC())) {
            String create = "{\"StreamName\":\"slow\",\"ShardCount\":2}";
            String describe = "{\"StreamName\":\"slow\"}";
            String put = "{\"StreamName\":\"slow\",\"PartitionKey\":\"k\",\"Data\":\"AA==\"}";
            List<String> both = List.of(slowKinesalite.url(), slowBridge.url());
            for (String url : both) {
                assertThat(KinesisHttp.call(url, "CreateStream", create).status())
                        .isEqualTo(200);
                JsonNode creating =
                        KinesisHttp.call(url, "DescribeStream", describe).body().get("StreamDescription");
                assertThat(creating.get("StreamStatus").asText()).as(url).isEqualTo("CREATING");
                assertThat(creating.get("Shards")).as(url).isEmpty();
            }
            assertSame(
                    new Case("put-while-creating", "PutRecord", put),
                    KinesisHttp.call(slowKinesalite.url(), "PutRecord", put),
                    KinesisHttp.call(slowBridge.url(), "PutRecord", put));
            assertSame(
                    new Case("create-while-creating", "CreateStream", create),
                    KinesisHttp.call(slowKinesalite.url(), "CreateStream", create),
                    KinesisHttp.call(slowBridge.url(), "CreateStream", create));
            // deviation 6: ListShards while CREATING
            assertThat(KinesisHttp.call(slowKinesalite.url(), "ListShards", describe)
                            .body()
                            .get("Shards"))
                    .isEmpty();
            assertThat(KinesisHttp.call(slowBridge.url(), "ListShards", describe)
                            .type())
                    .isEqualTo("ResourceInUseException");
            for (String url : both) {
                Awaitility.await("slow active on " + url)
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> KinesisHttp.call(url, "DescribeStream", describe)
                                .body()
                                .path("StreamDescription")
                                .path("StreamStatus")
                                .asText()
                                .equals("ACTIVE"));
                assertThat(KinesisHttp.call(url, "PutRecord", put).status()).isEqualTo(200);
                assertThat(KinesisHttp.call(url, "DeleteStream", describe).status())
                        .isEqualTo(200);
                assertThat(KinesisHttp.call(url, "DescribeStream", describe)
                                .body()
                                .path("StreamDescription")
                                .path("StreamStatus")
                                .asText())
                        .as(url)
                        .isEqualTo("DELETING");
            }
            assertSame(
                    new Case("put-while-deleting", "PutRecord", put),
                    KinesisHttp.call(slowKinesalite.url(), "PutRecord", put),
                    KinesisHttp.call(slowBridge.url(), "PutRecord", put));
            assertSame(
                    new Case("create-while-deleting", "CreateStream", create),
                    KinesisHttp.call(slowKinesalite.url(), "CreateStream", create),
                    KinesisHttp.call(slowBridge.url(), "CreateStream", create));
            for (String url : both) {
                Awaitility.await("slow gone on " + url)
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> "ResourceNotFoundException"
                                .equals(KinesisHttp.call(url, "DescribeStream", describe)
                                        .type()));
            }
        }
    }

    private static void assertSame(Case c, KinesisHttp.Answer kinesaliteAnswer, KinesisHttp.Answer bridgeAnswer) {
        assertThat(bridgeAnswer.status())
                .as(c.name() + ": status; kinesalite said " + kinesaliteAnswer.raw() + ", the bridge "
                        + bridgeAnswer.raw())
                .isEqualTo(kinesaliteAnswer.status());
        assertThat(bridgeAnswer.type()).as(c.name() + ": __type").isEqualTo(kinesaliteAnswer.type());
        assertThat(bridgeAnswer.messageField())
                .as(c.name() + ": message field")
                .isEqualTo(kinesaliteAnswer.messageField());
        if (kinesaliteAnswer.status() == 200) {
            assertThat(bridgeAnswer.body().path("ShardId").asText())
                    .as(c.name() + ": ShardId")
                    .isEqualTo(kinesaliteAnswer.body().path("ShardId").asText());
            return;
        }
        String expected = kinesaliteAnswer.message();
        String actual = bridgeAnswer.message();
        if (c.messagePrefix() > 0 && expected != null && actual != null) {
            expected = expected.substring(0, Math.min(c.messagePrefix(), expected.length()));
            actual = actual.substring(0, Math.min(c.messagePrefix(), actual.length()));
        }
        assertThat(actual).as(c.name() + ": message").isEqualTo(expected);
    }

    private static JsonNode captured() throws IOException {
        try (InputStream in = KinesaliteParityIT.class.getClassLoader().getResourceAsStream("kinesalite/errors.json")) {
            return KinesisHttp.JSON.readTree(in);
        }
    }
}
