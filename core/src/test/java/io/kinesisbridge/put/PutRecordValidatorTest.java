package io.kinesisbridge.put;

import static io.kinesisbridge.put.PutRecordValidator.DEFAULT_MAX_RECORD_SIZE_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PutRecordValidatorTest {

    private static final int MIB = 1_048_576;
    private static final byte[] DATA = {1, 2, 3};

    private static Optional<KinesisError> check(PutRequest r) {
        return check(r, DEFAULT_MAX_RECORD_SIZE_BYTES);
    }

    private static Optional<KinesisError> check(PutRequest r, int maxRecordSize) {
        return PutRecordValidator.checkPutRecordSchema(r, maxRecordSize)
                .or(() -> PutRecordValidator.checkPutRecordArguments(r, maxRecordSize));
    }

    private static PutRequest withKey(String key) {
        return new PutRequest("s", key, DATA, null, null);
    }

    @Test
    void partitionKey_of256Chars_isAccepted_of257_isRejectedWithAwsMessage() {
        assertThat(check(withKey("k".repeat(256)))).isEmpty();
        String key = "k".repeat(257);
        assertThat(check(withKey(key)))
                .contains(new KinesisError(
                        "ValidationException",
                        "1 validation error detected: Value '" + key
                                + "' at 'partitionKey' failed to satisfy constraint: "
                                + "Member must have length less than or equal to 256"));
    }

    @Test
    void partitionKey_of128Emoji_isAccepted_of129_isRejected_countingUtf16Units() {
        assertThat(check(withKey("😀".repeat(128)))).isEmpty();
        assertThat(check(withKey("😀".repeat(129))))
                .get()
                .extracting(KinesisError::message)
                .asString()
                .endsWith(
                        "at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256");
    }

    @Test
    void partitionKey_empty_orAbsent_isRejectedWithAwsMessage() {
        assertThat(check(withKey("")))
                .contains(new KinesisError(
                        "ValidationException",
                        "1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: "
                                + "Member must have length greater than or equal to 1"));
        assertThat(check(withKey(null)))
                .contains(new KinesisError(
                        "ValidationException",
                        "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: "
                                + "Member must not be null"));
    }

    @Test
    void data_of1MiB_passesTheSchema_butWithTheKeyBytes_exceedsTheRecordSize() {
        byte[] oneMiB = new byte[MIB];
        PutRequest request = new PutRequest("s", "k", oneMiB, null, null);
        assertThat(PutRecordValidator.checkPutRecordSchema(request, DEFAULT_MAX_RECORD_SIZE_BYTES))
                .isEmpty();
        assertThat(check(request)).get().satisfies(e -> {
            assertThat(e.code()).isEqualTo("InvalidArgumentException");
            assertThat(e.message())
                    .contains("1048577 bytes")
                    .contains("1048576 bytes")
                    .contains("stream s");
        });
        assertThat(check(new PutRequest("s", "k", new byte[MIB - 1], null, null)))
                .isEmpty();
        // a multi-byte key counts its UTF-8 bytes: "é" is 2 bytes
        assertThat(check(new PutRequest("s", "é", new byte[MIB - 2], null, null)))
                .isEmpty();
        assertThat(check(new PutRequest("s", "é", new byte[MIB - 1], null, null)))
                .get()
                .extracting(KinesisError::code)
                .isEqualTo("InvalidArgumentException");
    }

    @Test
    void data_over1MiB_isRejectedWithAwsMessage() {
        assertThat(check(new PutRequest("s", "k", new byte[MIB + 1], null, null)))
                .contains(
                        new KinesisError(
                                "ValidationException",
                                "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1048577 "
                                        + "cap=1048577]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576"));
    }

    @Test
    void data_onAStreamWith10MiBRecords_passesUpTo10MiBMinusTheKey() {
        int tenMiB = 10 * MIB;
        assertThat(check(new PutRequest("s", "k", new byte[tenMiB - 1], null, null), tenMiB))
                .isEmpty();
        assertThat(check(new PutRequest("s", "k", new byte[tenMiB], null, null), tenMiB))
                .get()
                .extracting(KinesisError::code)
                .isEqualTo("InvalidArgumentException");
        assertThat(check(new PutRequest("s", "k", new byte[tenMiB + 1], null, null), tenMiB))
                .get()
                .extracting(KinesisError::message)
                .asString()
                .endsWith("Member must have length less than or equal to 10485760");
        // a stream raised to 2 MiB: data up to the schema's 10 MiB passes the schema, the record size decides
        assertThat(check(new PutRequest("s", "k", new byte[2 * MIB], null, null), 2 * MIB))
                .get()
                .extracting(KinesisError::code)
                .isEqualTo("InvalidArgumentException");
    }

    @Test
    void explicitHashKey_2pow128minus1_isAccepted_2pow128_isInvalidArgument() {
        String max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE).toString();
        assertThat(check(new PutRequest("s", "k", DATA, max, null))).isEmpty();
        String over = BigInteger.ONE.shiftLeft(128).toString();
        assertThat(check(new PutRequest("s", "k", DATA, over, null)))
                .contains(new KinesisError(
                        "InvalidArgumentException",
                        "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was "
                                + over));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"01", "1.5", "-1", "0x10", "abc", "", " 1", "1 ", "1000000000000000000000000000000000000000"})
    void explicitHashKey_notMatchingTheWholePattern_isRejectedWithAwsMessage(String value) {
        assertThat(check(new PutRequest("s", "k", DATA, value, null)))
                .contains(new KinesisError(
                        "ValidationException",
                        "1 validation error detected: Value '" + value
                                + "' at 'explicitHashKey' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "42", "999999999999999999999999999999999999999"})
    void explicitHashKey_matchingThePattern_passesTheSchema(String value) {
        assertThat(PutRecordValidator.checkPutRecordSchema(new PutRequest("s", "k", DATA, value, null), MIB))
                .isEmpty();
    }

    @Test
    void sequenceNumberForOrdering_upTo129Digits_isAccepted_patternViolationsAreRejected() {
        assertThat(check(new PutRequest("s", "k", DATA, null, "1" + "0".repeat(128))))
                .isEmpty();
        assertThat(check(new PutRequest("s", "k", DATA, null, "0"))).isEmpty();
        for (String bad : List.of("01", "abc", "1" + "0".repeat(129))) {
            assertThat(check(new PutRequest("s", "k", DATA, null, bad)))
                    .contains(
                            new KinesisError(
                                    "ValidationException",
                                    "1 validation error detected: Value '" + bad
                                            + "' at 'sequenceNumberForOrdering' failed to satisfy "
                                            + "constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})"));
        }
    }

    @Test
    void streamName_rules_andEmptyNameGivesTwoErrorsInAwsOrder() {
        assertThat(check(new PutRequest("a-Z_0.9", "k", DATA, null, null))).isEmpty();
        assertThat(check(new PutRequest("s".repeat(128), "k", DATA, null, null)))
                .isEmpty();
        assertThat(check(new PutRequest("s".repeat(129), "k", DATA, null, null)))
                .get()
                .extracting(KinesisError::message)
                .asString()
                .endsWith(
                        "at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128");
        assertThat(check(new PutRequest("", "k", DATA, null, null)))
                .contains(new KinesisError(
                        "ValidationException",
                        "2 validation errors detected: Value '' at 'streamName' failed to satisfy constraint: Member must satisfy "
                                + "regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'streamName' failed to satisfy "
                                + "constraint: Member must have length greater than or equal to 1"));
    }

    @Test
    void severalErrors_areListedInAwsFieldOrder() {
        assertThat(check(new PutRequest(null, null, null, null, null)))
                .contains(new KinesisError(
                        "ValidationException",
                        "3 validation errors detected: Value null at 'partitionKey' failed to satisfy constraint: Member must not be "
                                + "null; Value null at 'data' failed to satisfy constraint: Member must not be null; Value null at "
                                + "'streamName' failed to satisfy constraint: Member must not be null"));
        assertThat(check(new PutRequest("bad name!", "", DATA, "abc", "abc")))
                .contains(new KinesisError(
                        "ValidationException",
                        "4 validation errors detected: Value 'abc' at 'sequenceNumberForOrdering' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128}); Value '' at 'partitionKey' "
                                + "failed to satisfy constraint: Member must have length greater than or equal to 1; Value 'abc' at "
                                + "'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                                + "0|([1-9]\\d{0,38}); Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must "
                                + "satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
    }

    @Test
    void putRecords_atMostTenErrorsAreListed() {
        List<PutRequest> records = new ArrayList<>(Collections.nCopies(12, new PutRequest(null, "", DATA, null, null)));
        KinesisError error =
                PutRecordValidator.checkPutRecordsSchema("", records, MIB).orElseThrow();
        assertThat(error.message())
                .startsWith("10 validation errors detected: Value '' at 'records.1.member.partitionKey'");
        assertThat(error.message().split("; ")).hasSize(10);
        assertThat(error.message()).doesNotContain("streamName");
    }

    @Test
    void putRecords_zeroOr501Records_areRejected_500Pass() {
        PutRequest ok = new PutRequest(null, "k", DATA, null, null);
        assertThat(PutRecordValidator.checkPutRecordsSchema("s", List.of(), MIB))
                .contains(new KinesisError(
                        "ValidationException",
                        "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: "
                                + "Member must have length greater than or equal to 1"));
        assertThat(PutRecordValidator.checkPutRecordsSchema("s", Collections.nCopies(500, ok), MIB))
                .isEmpty();
        assertThat(PutRecordValidator.checkPutRecordsSchema("s", Collections.nCopies(501, ok), MIB))
                .get()
                .extracting(KinesisError::message)
                .asString()
                .endsWith(
                        "at 'records' failed to satisfy constraint: Member must have length less than or equal to 500");
    }

    @Test
    void putRecords_over5MiBWithKeys_isInvalidArgument() {
        PutRequest big = new PutRequest(null, "k", new byte[MIB - 1], null, null); // 1 MiB with its key
        assertThat(PutRecordValidator.checkPutRecordsArguments(Collections.nCopies(5, big), MIB))
                .isEmpty();
        PutRequest small = new PutRequest(null, "k", new byte[0], null, null);
        List<PutRequest> over = new ArrayList<>(Collections.nCopies(5, big));
        over.add(small);
        assertThat(PutRecordValidator.checkPutRecordsArguments(over, MIB))
                .contains(new KinesisError("InvalidArgumentException", "Records size exceeds 5 MB limit"));
    }

    @Test
    void validate_returnsTheCommand_orThrowsANonRetryableExceptionCarryingStreamAndKey() {
        PutRecordCommand command = PutRecordValidator.validate(new PutRequest("s", "k", DATA, "7", null), MIB);
        assertThat(command.explicitHashKey()).contains("7");
        assertThat(command.hashKey().toBigInteger()).isEqualTo(BigInteger.valueOf(7));
        assertThatThrownBy(() -> PutRecordValidator.validate(new PutRequest("s", "", DATA, null, null), MIB))
                .isInstanceOfSatisfying(NonRetryableKinesisException.class, e -> {
                    assertThat(e.streamName()).contains("s");
                    assertThat(e.partitionKey()).contains("");
                    assertThat(e.errorCode()).isEqualTo("ValidationException");
                });
    }
}
