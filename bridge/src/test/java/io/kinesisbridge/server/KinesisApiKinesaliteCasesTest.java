package io.kinesisbridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every request captured from kinesalite (src/test/resources/kinesalite/errors.json) through the
 * endpoint's API, in JSON 1.1 and in CBOR 1.1: the same status, {@code __type}, message and message field
 * ({@code Message} for SerializationException), and the same ShardId for accepted records. Where kinesalite is
 * known to differ from AWS ({@code differsFromAws}: its regular expressions are not anchored), the endpoint
 * answers as AWS does, with a ValidationException. The account is kinesalite's, 000000000000.
 */
class KinesisApiKinesaliteCasesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    @TestFactory
    Stream<DynamicTest> everyCapturedRequest_inBothEncodings() throws IOException {
        MemoryBackendSettings kinesaliteAccount =
                new MemoryBackendSettings(false, 1000, 1_048_576, 256L << 20, "000000000000", "us-east-1");
        InMemoryKinesis store = new InMemoryKinesis(kinesaliteAccount);
        store.createStream("errs", 1);
        KinesisApi api = new KinesisApi(
                store,
                store,
                Clock.systemUTC(),
                new ShardIterators(Clock.systemUTC(), ShardIterators.DEFAULT_TTL),
                SignatureCheck.OFF);
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases()) {
            if (c.path("requestAbbreviated").asBoolean()) {
                continue; // 1 MiB and 501-record requests: covered by the SDK contract
            }
            for (WireFormat f : WireFormat.values()) {
                tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " (" + f + ")", () -> check(api, f, c)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(90);
        return tests.stream();
    }

    private static void check(KinesisApi api, WireFormat f, JsonNode c) throws IOException {
        Reply reply = api.handle(
                        f.contentType(),
                        KinesisApi.SERVICE + "." + c.get("operation").asText(),
                        body(f, c.get("request")))
                .join();
        JsonNode answer = (f == WireFormat.CBOR ? CBOR : JSON).readTree(reply.body());
        if (c.has("differsFromAws")) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(answer.get("__type").asText())
                    .as("AWS anchors its patterns")
                    .isEqualTo("ValidationException");
            assertThat(answer.get("message").asText()).contains("Member must satisfy regular expression pattern");
            return;
        }
        assertThat(reply.status()).isEqualTo(c.get("status").asInt());
        if (c.get("status").asInt() == 200) {
            assertThat(answer.get("ShardId").asText())
                    .isEqualTo(c.get("response").get("ShardId").asText());
            return;
        }
        assertThat(answer.get("__type").asText()).isEqualTo(c.get("type").asText());
        assertThat(answer.get(c.get("messageField").asText()).asText())
                .isEqualTo(c.get("message").asText());
        assertThat(answer.size()).as("only __type and the message").isEqualTo(2);
    }

    /** The captured JSON request, or the same request in CBOR with every Data that is base64 as a byte string. */
    private static byte[] body(WireFormat f, JsonNode request) throws IOException {
        if (f == WireFormat.JSON) {
            return JSON.writeValueAsBytes(request);
        }
        JsonNode copy = request.deepCopy();
        binaryData(copy);
        if (copy.path("Records").isArray()) {
            copy.get("Records").forEach(KinesisApiKinesaliteCasesTest::binaryData);
        }
        return CBOR.writeValueAsBytes(copy);
    }

    private static void binaryData(JsonNode node) {
        if (node instanceof ObjectNode o && o.path("Data").isTextual()) {
            try {
                byte[] bytes = Base64.getDecoder().decode(o.get("Data").asText());
                if (Base64.getEncoder()
                        .encodeToString(bytes)
                        .equals(o.get("Data").asText())) {
                    o.set("Data", BinaryNode.valueOf(bytes));
                }
            } catch (IllegalArgumentException e) {
                // not base64: sent as text, which the endpoint decodes as base64 and refuses as Kinesis does
            }
        }
    }

    private static JsonNode cases() throws IOException {
        try (InputStream in =
                KinesisApiKinesaliteCasesTest.class.getClassLoader().getResourceAsStream("kinesalite/errors.json")) {
            return JSON.readTree(in);
        }
    }
}
