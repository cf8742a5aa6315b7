package io.kinesisbridge.component;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import io.kinesisbridge.deadletter.DeadLetter;
import io.kinesisbridge.deadletter.DeadLetterJson;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.NonRetryableKinesisException;
import io.kinesisbridge.put.PutRecordJson;
import io.kinesisbridge.put.RecordResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KinesisPutProducerTest extends CamelTestSupport {

    @TempDir
    Path deadLetterDir;

    private final InMemoryKinesis kinesis = new InMemoryKinesis(MemoryBackendSettings.defaults());

    @Override
    protected void bindToRegistry(Registry registry) {
        kinesis.createStream("clicks", 4);
        kinesis.createStream("logs", 2);
        registry.bind("backend", kinesis);
        registry.bind("deadLetters", new FileDeadLetterSink(deadLetterDir, 1 << 20, 3));
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:json").to("kinesis-put:clicks?partitionKey=json:/user/id");
                from("direct:header").to("kinesis-put:clicks?partitionKey=header:device");
                from("direct:simple").to("kinesis-put:clicks?partitionKey=simple:${header.a}-${header.b}");
                from("direct:jsonpath").to("kinesis-put:clicks?partitionKey=jsonpath:$.user.id");
                from("direct:const").to("kinesis-put:clicks?partitionKey=const:fixed&explicitHashKey=const:0");
                from("direct:random").to("kinesis-put:clicks?partitionKey=random");
                from("direct:hash").to("kinesis-put:clicks?partitionKey=hash");
                from("direct:topic").to("kinesis-put:clicks?partitionKey=topic:1");
                from("direct:fallback")
                        .to("kinesis-put:clicks?partitionKey=json:/userId&partitionKeyFallback=const:anonymous");
                from("direct:strict").to("kinesis-put:clicks?partitionKey=json:/userId&failOnRejection=true");
                from("direct:batch").to("kinesis-put:clicks?batch=true&partitionKey=json:/userId");
                from("direct:batchSimple").to("kinesis-put:clicks?batch=true&partitionKey=simple:${body.length()}");
                from("direct:ehk").to("kinesis-put:clicks?partitionKey=const:k&explicitHashKey=header:hk");
                from("direct:noKey").to("kinesis-put:clicks");
            }
        };
    }

    @Test
    void jsonPointerKey_routesByTheFieldAndSetsResultHeaders() {
        Exchange out =
                template.request("direct:json", e -> e.getMessage().setBody("{\"user\":{\"id\":\"user-42\"},\"n\":1}"));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(KinesisPutConstants.SHARD_ID)).isEqualTo("shardId-000000000001");
        assertThat(out.getMessage().getHeader(KinesisPutConstants.SEQUENCE_NUMBER, String.class))
                .hasSize(56);
        assertThat(out.getMessage().getHeader(KinesisPutConstants.ENCRYPTION_TYPE))
                .isEqualTo("NONE");
        assertThat(out.getMessage().getHeader(KinesisPutConstants.FAILED_RECORD_COUNT))
                .isEqualTo(0);
        StreamRecord stored = kinesis.readAll("clicks").get(0);
        assertThat(stored.partitionKey()).isEqualTo("user-42");
        assertThat(new String(stored.data(), StandardCharsets.UTF_8))
                .isEqualTo("{\"user\":{\"id\":\"user-42\"},\"n\":1}");
    }

    @Test
    void keySources_header_simple_jsonpath_const_hash_topic_giveTheExpectedKeys() {
        template.sendBodyAndHeader("direct:header", "a", "device", "dev-7");
        template.sendBodyAndHeaders("direct:simple", "b", Map.of("a", "x", "b", "y"));
        template.sendBody("direct:jsonpath", "{\"user\":{\"id\":\"jp\"}}");
        template.sendBody("direct:const", "c");
        template.sendBody("direct:hash", "same");
        template.sendBody("direct:hash", "same");
        template.sendBodyAndHeader("direct:topic", "t", "CamelMqttTopic", "telemetry/device-9/temp");
        List<String> keys = kinesis.readAll("clicks").stream()
                .map(StreamRecord::partitionKey)
                .toList();
        String md5 = HexFormat.of().formatHex(HashKey.md5("same".getBytes(StandardCharsets.UTF_8)));
        assertThat(keys).containsExactlyInAnyOrder("dev-7", "x-y", "jp", "fixed", md5, md5, "device-9");
    }

    @Test
    void randomKeys_differPerRecord() {
        for (int i = 0; i < 20; i++) {
            template.sendBody("direct:random", "r");
        }
        Set<String> keys = kinesis.readAll("clicks").stream()
                .map(StreamRecord::partitionKey)
                .collect(Collectors.toSet());
        assertThat(keys).hasSize(20);
    }

    @Test
    void explicitHashKey_fromConstantOrHeader_picksTheShard() {
        Exchange zero = template.request("direct:const", e -> e.getMessage().setBody("x"));
        assertThat(zero.getMessage().getHeader(KinesisPutConstants.SHARD_ID)).isEqualTo("shardId-000000000000");
        Exchange top = template.request("direct:ehk", e -> {
            e.getMessage().setBody("x");
            e.getMessage().setHeader("hk", HashKey.MAX_VALUE.toString());
        });
        assertThat(top.getMessage().getHeader(KinesisPutConstants.SHARD_ID)).isEqualTo("shardId-000000000003");
    }

    @Test
    void headerOverridesTheConfiguredKey_inputAndOutputHeadersDiffer() {
        Exchange out = template.request("direct:json", e -> {
            e.getMessage().setBody("{\"user\":{\"id\":\"ignored\"}}");
            e.getMessage().setHeader(KinesisPutConstants.PARTITION_KEY, "user-42");
        });
        assertThat(out.getMessage().getHeader(KinesisPutConstants.PARTITION_KEY))
                .isEqualTo("user-42");
        assertThat(out.getMessage().getHeader(KinesisPutConstants.SHARD_ID)).isEqualTo("shardId-000000000001");
        assertThat(KinesisPutConstants.SEQUENCE_NUMBER).isNotEqualTo(KinesisPutConstants.SEQUENCE_NUMBER_FOR_ORDERING);
    }

    @Test
    void missingKey_isDeadLetteredWithAReasonNamingTheField_andTheRouteGoesOn() throws IOException {
        Exchange out = template.request("direct:json", e -> e.getMessage().setBody("{\"user\":{}}"));
        assertThat(out.getException()).isNull();
        assertThat(out.getMessage().getHeader(KinesisPutConstants.ERROR_CODE)).isEqualTo("MissingPartitionKey");
        assertThat(out.getMessage().getHeader(KinesisPutConstants.ERROR_MESSAGE, String.class))
                .isEqualTo(
                        "No partition key for a record of stream clicks: JSON field /user/id of the data has no value");
        assertThat(out.getMessage().getHeader(KinesisPutConstants.SHARD_ID)).isNull();
        DeadLetter letter = onlyDeadLetter("clicks");
        assertThat(letter.error().code()).isEqualTo("MissingPartitionKey");
        assertThat(new String(letter.request().data(), StandardCharsets.UTF_8)).isEqualTo("{\"user\":{}}");
        // the next record goes through
        assertThat(template.request("direct:json", e -> e.getMessage().setBody("{\"user\":{\"id\":\"u\"}}"))
                        .getMessage()
                        .getHeader(KinesisPutConstants.SHARD_ID))
                .isNotNull();
    }

    @Test
    void notJson_withAJsonKey_isDeadLetteredSayingWhy() throws IOException {
        template.sendBody("direct:json", "plain text");
        assertThat(onlyDeadLetter("clicks").error().message())
                .startsWith(
                        "No partition key for a record of stream clicks: JSON field /user/id of the data could not be read: not JSON");
    }

    @Test
    void noKeySourceAndNoHeader_isDeadLetteredSayingSo() throws IOException {
        template.sendBody("direct:noKey", "x");
        assertThat(onlyDeadLetter("clicks").error().message())
                .isEqualTo("No partition key for a record of stream clicks: "
                        + "no partitionKey option is set and the header CamelKinesisPutPartitionKey is absent");
    }

    @Test
    void fallback_isUsedOnlyWhenTheKeyIsMissing() {
        template.sendBody("direct:fallback", "{\"userId\":\"u1\"}");
        template.sendBody("direct:fallback", "{\"other\":1}");
        assertThat(kinesis.readAll("clicks"))
                .extracting(StreamRecord::partitionKey)
                .containsExactlyInAnyOrder("u1", "anonymous");
    }

    @Test
    void invalidRecord_getsAwsMessage_deadLetterHoldsTheResendableWireForm() throws IOException {
        String longKey = "k".repeat(257);
        Exchange out = template.request("direct:json", e -> {
            e.getMessage().setBody("payload");
            e.getMessage().setHeader(KinesisPutConstants.PARTITION_KEY, longKey);
        });
        assertThat(out.getMessage().getHeader(KinesisPutConstants.ERROR_CODE)).isEqualTo("ValidationException");
        String line = Files.readAllLines(deadLetterDir.resolve("clicks.ndjson")).get(0);
        DeadLetter letter = DeadLetterJson.read(line);
        assertThat(letter.error().message())
                .isEqualTo(
                        "1 validation error detected: Value '" + longKey
                                + "' at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256");
        assertThat(letter.attempts()).isZero();
        assertThat(letter.request().partitionKey()).isEqualTo(longKey);
        // the Request member is exactly the PutRecord JSON request, as `aws kinesis put-record --cli-input-json` takes
        // it
        String request = line.substring(line.indexOf("\"Request\":") + "\"Request\":".length(), line.length() - 1);
        assertThat(request)
                .isEqualTo(PutRecordJson.write(letter.request()))
                .isEqualTo(
                        "{\"StreamName\":\"clicks\",\"PartitionKey\":\"" + longKey + "\",\"Data\":\"cGF5bG9hZA==\"}");
    }

    @Test
    void failOnRejection_failsTheExchangeWithATypedException_afterDeadLettering() throws IOException {
        Exchange out = template.request("direct:strict", e -> e.getMessage().setBody("{}"));
        assertThat(out.getException()).isInstanceOfSatisfying(NonRetryableKinesisException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("MissingPartitionKey");
            assertThat(e.streamName()).contains("clicks");
        });
        assertThat(onlyDeadLetter("clicks").error().code()).isEqualTo("MissingPartitionKey");
    }

    @Test
    void failOnRejection_theExceptionNamesTheErrorCode_notTheKeyItQuotes_whichStaysInTheHeaderAndTheLetter()
            throws IOException {
        String longKey = "user-".repeat(60);
        Exchange out =
                template.request("direct:strict", e -> e.getMessage().setBody("{\"userId\":\"" + longKey + "\"}"));
        assertThat(out.getException()).isInstanceOfSatisfying(NonRetryableKinesisException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("ValidationException");
            assertThat(e.getMessage()).contains("ValidationException").doesNotContain(longKey);
            assertThat(e.toString()).doesNotContain(longKey);
        });
        assertThat(out.getMessage().getHeader(KinesisPutConstants.ERROR_MESSAGE, String.class))
                .contains(longKey);
        assertThat(onlyDeadLetter("clicks").error().message()).contains(longKey);
    }

    @Test
    void batch_putsEveryElement_resultsInInputOrder_failuresInPlace() {
        List<String> events = List.of("{\"userId\":\"a\"}", "{\"nope\":1}", "{\"userId\":\"user-42\"}");
        Exchange out = template.request("direct:batch", e -> e.getMessage().setBody(events));
        @SuppressWarnings("unchecked")
        List<RecordResult> results = out.getMessage().getHeader(KinesisPutConstants.RESULTS, List.class);
        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isInstanceOf(RecordResult.Accepted.class);
        assertThat(results.get(1))
                .isInstanceOfSatisfying(
                        RecordResult.Failed.class,
                        f -> assertThat(f.error().code()).isEqualTo("MissingPartitionKey"));
        assertThat(((RecordResult.Accepted) results.get(2)).shardId()).isEqualTo("shardId-000000000001");
        assertThat(out.getMessage().getHeader(KinesisPutConstants.FAILED_RECORD_COUNT))
                .isEqualTo(1);
    }

    @Test
    void batch_evaluatesBodyExpressionsPerElement() {
        template.sendBody("direct:batchSimple", List.of("a", "bbb", "cc"));
        assertThat(kinesis.readAll("clicks"))
                .extracting(StreamRecord::partitionKey)
                .containsExactlyInAnyOrder("1", "3", "2");
    }

    @Test
    void streamNameHeader_overridesTheEndpointStream() {
        template.sendBodyAndHeader("direct:const", "x", KinesisPutConstants.STREAM_NAME, "logs");
        assertThat(kinesis.readAll("logs")).hasSize(1);
        assertThat(kinesis.readAll("clicks")).isEmpty();
    }

    @Test
    void unknownKeySource_failsTheEndpointWithAMessageNamingTheOption() {
        Assertions.assertThatThrownBy(() -> context.getEndpoint("kinesis-put:clicks?partitionKey=userId")
                        .start())
                .hasMessageContaining("option partitionKey: 'userId' is not a key source");
    }

    private DeadLetter onlyDeadLetter(String stream) throws IOException {
        List<String> lines = Files.readAllLines(deadLetterDir.resolve(stream + ".ndjson"));
        assertThat(lines).hasSize(1);
        return DeadLetterJson.read(lines.get(0));
    }
}
