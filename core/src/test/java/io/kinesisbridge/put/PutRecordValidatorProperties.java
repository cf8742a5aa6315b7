package io.kinesisbridge.put;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

class PutRecordValidatorProperties {

    private static final Pattern STREAM = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final Pattern HASH_KEY = Pattern.compile("0|([1-9]\\d{0,38})");
    private static final Pattern SEQUENCE = Pattern.compile("0|([1-9]\\d{0,128})");
    private static final int MIB = 1_048_576;

    @Property
    void explicitHashKey_passesTheSchema_exactlyWhenTheWholeStringMatchesAwsPattern(
            @ForAll("hashKeyLike") String value) {
        PutRequest r = new PutRequest("s", "k", new byte[0], value, null);
        boolean matches = HASH_KEY.matcher(value).matches();
        assertThat(PutRecordValidator.checkPutRecordSchema(r, MIB).isEmpty()).isEqualTo(matches);
        if (matches) {
            boolean inRange = new BigInteger(value).compareTo(HashKey.MAX_VALUE) <= 0;
            assertThat(PutRecordValidator.checkPutRecordArguments(r, MIB).isEmpty())
                    .isEqualTo(inRange);
        }
    }

    @Property
    void sequenceNumberForOrdering_passes_exactlyWhenItMatchesAwsPattern(@ForAll("sequenceLike") String value) {
        PutRequest r = new PutRequest("s", "k", new byte[0], null, value);
        assertThat(PutRecordValidator.checkPutRecordSchema(r, MIB).isEmpty())
                .isEqualTo(SEQUENCE.matcher(value).matches());
    }

    @Property
    void streamName_passes_exactlyWhenItMatchesThePatternAndLength(@ForAll @StringLength(max = 140) String name) {
        PutRequest r = new PutRequest(name, "k", new byte[0], null, null);
        boolean valid = STREAM.matcher(name).matches() && name.length() <= 128;
        assertThat(PutRecordValidator.checkPutRecordSchema(r, MIB).isEmpty()).isEqualTo(valid);
    }

    @Property
    void anyRequest_isAnsweredWithoutAnUnexpectedException_andTheCountPrefixMatchesTheList(
            @ForAll("maybe") String stream,
            @ForAll("maybe") String key,
            @ForAll("maybe") String hashKey,
            @ForAll("maybe") String sequence,
            @ForAll @IntRange(min = -1, max = 40) int dataLength) {
        byte[] data = dataLength < 0 ? null : new byte[dataLength];
        PutRequest r = new PutRequest(stream, key, data, hashKey, sequence);
        Optional<KinesisError> error = PutRecordValidator.checkPutRecordSchema(r, MIB)
                .or(() -> PutRecordValidator.checkPutRecordArguments(r, MIB));
        error.filter(e -> e.code().equals("ValidationException")).ifPresent(e -> {
            int listed = e.message().split("; Value ").length;
            assertThat(e.message())
                    .startsWith(listed + " validation error" + (listed > 1 ? "s" : "") + " detected: Value ");
        });
        if (error.isEmpty()) {
            PutRecordCommand command = PutRecordValidator.validate(r, MIB);
            assertThat(command.toRequest()).isEqualTo(r);
        }
    }

    @Property
    void recordSize_isRejected_exactlyWhenDataPlusUtf8KeyBytesExceedTheStreamMaximum(
            @ForAll @StringLength(min = 1, max = 256) String key,
            @ForAll @IntRange(min = 0, max = 2048) int slack,
            @ForAll boolean over) {
        int keyBytes = Utf8.encodedLength(key);
        int max = MIB;
        int dataLength = over ? max - keyBytes + 1 + slack : Math.max(0, max - keyBytes - slack);
        PutRequest r = new PutRequest("s", key, new byte[dataLength], null, null);
        Optional<KinesisError> error = PutRecordValidator.checkPutRecordSchema(r, max)
                .or(() -> PutRecordValidator.checkPutRecordArguments(r, max));
        assertThat(error.isPresent()).isEqualTo((long) dataLength + keyBytes > max);
    }

    @Provide
    Arbitrary<String> hashKeyLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(41),
                Arbitraries.strings().withChars("0123456789.-x ab").ofMaxLength(6),
                Arbitraries.bigIntegers()
                        .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(130))
                        .map(BigInteger::toString));
    }

    @Provide
    Arbitrary<String> sequenceLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(131),
                Arbitraries.strings().withChars("0123456789a").ofMaxLength(5));
    }

    @Provide
    Arbitrary<String> maybe() {
        return Arbitraries.strings().ofMaxLength(300).injectNull(0.2);
    }
}
