package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The endpoint's JSON 1.1 and CBOR 1.1 decoding fed random and malformed input: random bytes, valid requests with
 * bytes flipped, inserted or cut, invalid UTF-8, raw NUL bytes, huge numbers, deep nesting, CBOR items that declare
 * far more bytes than they hold, oversized records. Each time: an answer within seconds, never a 5xx, and a 4xx
 * with an error {@code __type} in the request's encoding unless the request happened to be valid.
 */
class KinesisApiDecodingProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    private static final List<String> OPERATIONS = KinesisApi.OPERATIONS;

    private final KinesisApi api;

    KinesisApiDecodingProperties() {
        InMemoryKinesis store = new InMemoryKinesis(
                MemoryBackendSettings.defaults().withMaxBytes(64L << 20).withAccountShardLimit(50));
        store.createStream("s", 2);
        Clock clock = Clock.systemUTC();
        api = new KinesisApi(
                store, store, clock, new ShardIterators(clock, ShardIterators.DEFAULT_TTL), SignatureCheck.OFF);
    }

    /** The answer, within 10 s; it must not be a 5xx, and an error must carry its type in the request's encoding. */
    private Reply answer(WireFormat format, String operation, byte[] body) throws Exception {
        Reply reply = api.handle(format.contentType(), KinesisApi.SERVICE + "." + operation, body)
                .get(10, TimeUnit.SECONDS);
        assertThat(reply.status()).as("status for %s", describe(body)).isLessThan(500);
        if (reply.status() >= 400) {
            assertThat(reply.errorType())
                    .as("error type for %s", describe(body))
                    .isPresent();
            JsonNode decoded = (format == WireFormat.CBOR ? CBOR : JSON).readTree(reply.body());
            assertThat(decoded.path("__type").asText()).isNotEmpty();
        }
        return reply;
    }

    private static String describe(byte[] body) {
        return body.length > 200
                ? body.length + " bytes starting " + Arrays.toString(Arrays.copyOf(body, 64))
                : Arrays.toString(body);
    }

    @Property(tries = 2000)
    void randomBytes_neverCrashOrHang(
            @ForAll @Size(max = 2048) byte[] body, @ForAll WireFormat format, @ForAll("operations") String operation)
            throws Exception {
        answer(format, operation, body);
    }

    @Property(tries = 2000)
    void validRequestsWithDamage_areAnsweredWithA4xxOrTakenAsValid(
            @ForAll("requests") JsonNode request, @ForAll WireFormat format, @ForAll("damage") Damage damage)
            throws Exception {
        byte[] body = (format == WireFormat.CBOR ? CBOR : JSON).writeValueAsBytes(request.get("body"));
        answer(format, request.get("operation").asText(), damage.apply(body));
    }

    /** Invalid UTF-8 in a member the operation reads (a member it ignores is skipped unread, as Kinesis ignores it). */
    @Property(tries = 300)
    void invalidUtf8InAString_isASerializationError(
            @ForAll("invalidUtf8") byte[] bad, @ForAll("readingStreamName") String operation) throws Exception {
        byte[] body = concat(
                "{\"StreamName\":\"".getBytes(StandardCharsets.UTF_8), bad, "\"}".getBytes(StandardCharsets.UTF_8));
        Reply reply = answer(WireFormat.JSON, operation, body);
        assertThat(reply.status()).isEqualTo(400);
    }

    @Property(tries = 200)
    void rawControlBytesInAJsonString_areASerializationError(@ForAll @IntRange(min = 0, max = 31) int control)
            throws Exception {
        byte[] body = concat(
                "{\"StreamName\":\"s\",\"PartitionKey\":\"a".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) control},
                "b\",\"Data\":\"AA==\"}".getBytes(StandardCharsets.UTF_8));
        Reply reply = answer(WireFormat.JSON, "PutRecord", body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorType()).contains("SerializationException");
    }

    @Example
    void escapedNulInAKey_isAnOrdinaryCharacter() throws Exception {
        byte[] body = "{\"StreamName\":\"s\",\"PartitionKey\":\"a\\u0000b\",\"Data\":\"AA==\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(answer(WireFormat.JSON, "PutRecord", body).status()).isEqualTo(200);
    }

    @Property(tries = 100)
    void hugeNumbers_areA4xx(
            @ForAll @IntRange(min = 20, max = 200_000) int digits,
            @ForAll("numberFields") String field,
            @ForAll boolean exponent)
            throws Exception {
        String number = exponent ? "1e" + "9".repeat(Math.min(digits, 5000)) : "9".repeat(digits);
        byte[] body = ("{\"StreamName\":\"s\",\"" + field + "\":" + number + "}").getBytes(StandardCharsets.UTF_8);
        Reply reply = answer(
                WireFormat.JSON,
                switch (field) {
                    case "ShardCount" -> "CreateStream";
                    case "MaxResults" -> "ListShards";
                    default -> "DescribeStream";
                },
                body);
        assertThat(reply.status()).isBetween(400, 499);
    }

    @Property(tries = 60)
    void deepNesting_isA4xx_notAStackOverflow(
            @ForAll @IntRange(min = 1, max = 200_000) int depth, @ForAll WireFormat format, @ForAll boolean arrays)
            throws Exception {
        byte[] body;
        if (format == WireFormat.JSON) {
            String open = arrays ? "[" : "{\"a\":";
            String close = arrays ? "]" : "}";
            body = ("{\"StreamName\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0xA1); // map of one pair
            out.write(0x6A); // text of 10 bytes
            out.writeBytes("StreamName".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < depth; i++) {
                out.write(arrays ? 0x81 : 0xA1); // array of one item, or map of one pair
                if (!arrays) {
                    out.write(0x61);
                    out.write('a');
                }
            }
            out.write(0x01);
            body = out.toByteArray();
        }
        Reply reply = answer(format, "DescribeStream", body);
        assertThat(reply.status()).isBetween(400, 499);
    }

    @Property(tries = 200)
    void cborItemsDeclaringMoreBytesThanTheyHold_areA4xx(
            @ForAll @IntRange(min = 2, max = 3) int majorType,
            @ForAll("declaredLengths") long declared,
            @ForAll @Size(max = 64) byte[] held)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xA2);
        out.write(0x6A);
        out.writeBytes("StreamName".getBytes(StandardCharsets.UTF_8));
        out.write(0x61);
        out.write('s');
        out.write(0x64);
        out.writeBytes("Data".getBytes(StandardCharsets.UTF_8));
        out.write((majorType << 5) | 27); // an 8-byte length follows
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (declared >>> shift) & 0xFF);
        }
        out.writeBytes(held);
        Reply reply = answer(WireFormat.CBOR, "PutRecord", out.toByteArray());
        assertThat(reply.status()).isBetween(400, 499);
    }

    @Property(tries = 20)
    void oversizedRecords_areAValidationError(
            @ForAll @IntRange(min = 1_048_577, max = 3_000_000) int size, @ForAll WireFormat format) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.put("StreamName", "s").put("PartitionKey", "k").put("Data", new byte[size]);
        byte[] body = (format == WireFormat.CBOR ? CBOR : JSON).writeValueAsBytes(request);
        Reply reply = answer(format, "PutRecord", body);
        assertThat(reply.status()).isEqualTo(400);
    }

    // ---- generators ----------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<String> operations() {
        return Arbitraries.of(OPERATIONS);
    }

    @Provide
    Arbitrary<String> readingStreamName() {
        return Arbitraries.of(
                "CreateStream",
                "DeleteStream",
                "DescribeStream",
                "DescribeStreamSummary",
                "ListShards",
                "PutRecord",
                "PutRecords",
                "GetShardIterator");
    }

    @Provide
    Arbitrary<String> numberFields() {
        return Arbitraries.of("ShardCount", "MaxResults", "Limit");
    }

    @Provide
    Arbitrary<Long> declaredLengths() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(65, 1L << 40),
                Arbitraries.of(Long.MAX_VALUE, -1L, (long) Integer.MAX_VALUE, 1L << 31, 1L << 32));
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        // a lone continuation byte, a lead byte without its continuation, an overlong form, a surrogate, beyond
        // U+10FFFF
        return Arbitraries.of(
                new byte[] {(byte) 0x80},
                new byte[] {(byte) 0xC3, '('},
                new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xE2, (byte) 0x82});
    }

    @Provide
    Arbitrary<JsonNode> requests() {
        return Arbitraries.of(
                request("PutRecord", "{\"StreamName\":\"s\",\"PartitionKey\":\"k\",\"Data\":\"aGVsbG8=\"}"),
                request(
                        "PutRecords",
                        "{\"StreamName\":\"s\",\"Records\":[{\"PartitionKey\":\"a\",\"Data\":\"AQI=\"},"
                                + "{\"PartitionKey\":\"b\",\"Data\":\"AwQ=\",\"ExplicitHashKey\":\"12345\"}]}"),
                request("DescribeStream", "{\"StreamName\":\"s\",\"Limit\":10}"),
                request("ListShards", "{\"StreamName\":\"s\",\"MaxResults\":100}"),
                request(
                        "GetShardIterator",
                        "{\"StreamName\":\"s\",\"ShardId\":\"shardId-000000000000\",\"ShardIteratorType\":\"TRIM_HORIZON\"}"),
                request("CreateStream", "{\"StreamName\":\"t\",\"ShardCount\":1}"),
                request("ListStreams", "{\"Limit\":5}"),
                request("GetRecords", "{\"ShardIterator\":\"AAAAAAAAAAE=\",\"Limit\":10}"));
    }

    private static JsonNode request(String operation, String body) {
        try {
            return JSON.createObjectNode().put("operation", operation).set("body", JSON.readTree(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What is done to a valid body: a byte changed, bytes inserted, a range cut out, the end cut off. */
    record Damage(int kind, double where, int length, byte value) {
        byte[] apply(byte[] body) {
            int at = (int) Math.min(body.length - 1, Math.floor(body.length * where));
            return switch (kind) {
                case 0 -> {
                    byte[] b = body.clone();
                    b[at] ^= value == 0 ? 1 : value;
                    yield b;
                }
                case 1 -> {
                    byte[] insert = new byte[length];
                    Arrays.fill(insert, value);
                    yield concat(Arrays.copyOf(body, at), insert, Arrays.copyOfRange(body, at, body.length));
                }
                case 2 ->
                    concat(
                            Arrays.copyOf(body, at),
                            Arrays.copyOfRange(body, Math.min(body.length, at + length), body.length));
                default -> Arrays.copyOf(body, at);
            };
        }
    }

    @Provide
    Arbitrary<Damage> damage() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.doubles().between(0, 1),
                        Arbitraries.integers().between(1, 16),
                        Arbitraries.bytes())
                .as(Damage::new);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
