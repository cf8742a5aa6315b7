package io.kinesisbridge.put;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinesisbridge.server.operations.PutRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the requests captured from kinesalite (src/test/resources/kinesalite/errors.json) through the bridge's
 * codec and validator: same error type and message, except where kinesalite is known to differ from AWS.
 */
class KinesaliteErrorCasesTest {

    /** Decided after the stream lookup, which this test does not model: see the backend and endpoint tests. */
    private static final Set<String> STREAM_LEVEL = Set.of("ResourceNotFoundException");

    @TestFactory
    Stream<DynamicTest> everyCapturedRequest_getsKinesalitesAnswer_unlessKinesaliteDiffersFromAws() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases()) {
            if (c.path("requestAbbreviated").asBoolean()
                    || STREAM_LEVEL.contains(c.path("type").asText())) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
        }
        assertThat(tests).hasSizeGreaterThan(30);
        return tests.stream();
    }

    private static void check(JsonNode c) {
        boolean differs = c.has("differsFromAws");
        String expectedType = c.path("type").isNull() ? null : c.path("type").asText();
        String expectedMessage =
                c.path("message").isNull() ? null : c.path("message").asText();
        if (expectedType == null && !differs) {
            assertThat(answer(c)).as("accepted by kinesalite").isEmpty();
            return;
        }
        if (differs) {
            // kinesalite's anchoring bug: AWS answers a ValidationException for the pattern
            assertThat(answer(c))
                    .as("AWS rejects what kinesalite let through")
                    .get()
                    .extracting(KinesisError::code)
                    .isEqualTo("ValidationException");
            return;
        }
        if ("SerializationException".equals(expectedType)) {
            assertThatThrownBy(() -> answer(c))
                    .isInstanceOfSatisfying(
                            KinesisException.class,
                            e -> assertThat(e.error()).isEqualTo(new KinesisError(expectedType, expectedMessage)));
            return;
        }
        assertThat(answer(c)).contains(new KinesisError(expectedType, expectedMessage));
    }

    /** What the bridge answers: the first error of schema, then arguments; parsing errors are thrown. */
    private static Optional<KinesisError> answer(JsonNode c) {
        JsonNode request = c.get("request");
        int max = PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
        if (c.get("operation").asText().equals("PutRecord")) {
            PutRequest r = PutRecordJson.read(request.toString());
            return PutRecordValidator.checkPutRecordSchema(r, max)
                    .or(() -> PutRecordValidator.checkPutRecordArguments(r, max));
        }
        PutRecords.Input r = readPutRecords(request.toString());
        return PutRecordValidator.checkPutRecordsSchema(r.streamName(), r.records(), max)
                .or(() -> PutRecordValidator.checkPutRecordsArguments(r.records(), max));
    }

    private static PutRecords.Input readPutRecords(String json) {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            return PutRecords.read(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode cases() throws IOException {
        try (InputStream in =
                KinesaliteErrorCasesTest.class.getClassLoader().getResourceAsStream("kinesalite/errors.json")) {
            return new ObjectMapper().readTree(in);
        }
    }
}
