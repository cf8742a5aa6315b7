package io.kinesisbridge.put;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Sequence numbers of every layout AWS has issued: any fields written as a number read back as the same fields;
 * version 2 numbers are AWS's 56 digits, written as kinesalite writes them (hex fields, then decimal), in order of
 * their sequence index; any other text is no sequence number, refused with AWS's message and never an exception.
 */
class SequenceNumberProperties {

    private static final long NOW = 1_767_225_600_000L; // 2026-01-01

    @Property
    void anyLayoutsFields_readBackAsTheSameFields(@ForAll("numbers") SequenceNumber n) {
        assertThat(SequenceNumber.parse(n.format())).contains(n);
    }

    @Property
    void version2_isAwsFiftySixDigits_asKinesaliteWritesIt(
            @ForAll @LongRange(min = 0, max = (1L << 36) - 1) long created,
            @ForAll @IntRange(min = 0) int shard,
            @ForAll @LongRange(min = 0) long index,
            @ForAll @LongRange(min = 0, max = (1L << 36) - 1) long seconds) {
        String decimal = SequenceNumber.of(created, shard, index, seconds).format();
        String hex = "2" + hex(created, 9) + hex(shard & 0xF, 1) + hex(index, 16) + "00" + hex(seconds, 9)
                + hex(shard, 8) + "2";
        assertThat(decimal).hasSize(56).isEqualTo(new BigInteger(hex, 16).toString());
    }

    @Property
    void version2_ofOneShard_sortByTheirSequenceIndex(
            @ForAll @LongRange(min = 0, max = (1L << 36) - 1) long created,
            @ForAll @IntRange(min = 0) int shard,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long index,
            @ForAll @LongRange(min = 0, max = (1L << 36) - 1) long s1,
            @ForAll @LongRange(min = 0, max = (1L << 36) - 1) long s2) {
        BigInteger earlier =
                new BigInteger(SequenceNumber.of(created, shard, index, s1).format());
        BigInteger later =
                new BigInteger(SequenceNumber.of(created, shard, index + 1, s2).format());
        assertThat(later).isGreaterThan(earlier);
    }

    @Property
    void theFastDivisionByABillion_isLongDivision(@ForAll @LongRange(min = 0) long value) {
        assertThat(SequenceNumber.divideByBillion(value)).isEqualTo(value / 1_000_000_000L);
    }

    @Property
    void anyText_isANumberOrNone_neverAnException(@ForAll String text) {
        Optional<SequenceNumber> n = SequenceNumber.parse(text);
        n.ifPresent(parsed -> assertThat(SequenceNumber.parse(parsed.format())).contains(parsed));
    }

    @Property
    void anyDecimalOfThePattern_isTakenOrRefusedWithAwsMessage(@ForAll("decimals") String decimal) {
        Optional<KinesisError> error =
                PutRecordValidator.checkSequenceNumberForOrdering(decimal, "s", "123456789012", NOW);
        Optional<SequenceNumber> n = SequenceNumber.parse(decimal);
        if (n.isPresent() && !n.get().isFromTheFuture(NOW)) {
            assertThat(error).isEmpty();
        } else {
            assertThat(error).contains(refused(decimal));
        }
    }

    @Property
    void textOutsideThePattern_isRefusedWithAwsMessage(@ForAll("notDecimals") String text) {
        assertThat(SequenceNumber.parse(text)).isEmpty();
        assertThat(PutRecordValidator.checkSequenceNumberForOrdering(text, "s", "123456789012", NOW))
                .contains(refused(text));
    }

    @Property
    void aRecordTimeAfterNow_isRefused(@ForAll @LongRange(min = 1, max = 1_000_000) long secondsAhead) {
        String n = SequenceNumber.of(1, 0, 5, NOW / 1000 + secondsAhead).format();
        assertThat(PutRecordValidator.checkSequenceNumberForOrdering(n, "s", "123456789012", NOW))
                .contains(refused(n));
        String past = SequenceNumber.of(1, 0, 5, NOW / 1000 - secondsAhead).format();
        assertThat(PutRecordValidator.checkSequenceNumberForOrdering(past, "s", "123456789012", NOW))
                .isEmpty();
    }

    static KinesisError refused(String n) {
        return new KinesisError(
                "InvalidArgumentException",
                "ExclusiveMinimumSequenceNumber " + n
                        + " used in PutRecord on stream s under account 123456789012 is invalid.");
    }

    @Provide
    Arbitrary<SequenceNumber> numbers() {
        Arbitrary<Long> seconds = Arbitraries.longs().between(0, (1L << 36) - 1);
        Arbitrary<Integer> reserved = Arbitraries.integers().between(0, 255);
        Arbitrary<SequenceNumber> v2 = Combinators.combine(
                        seconds,
                        Arbitraries.oneOf(
                                Arbitraries.longs().between(0, Integer.MAX_VALUE),
                                Arbitraries.longs().between(-0xFFFF_FFFFL, -0x8000_0000L)),
                        Arbitraries.longs().between(0, Long.MAX_VALUE),
                        seconds,
                        reserved)
                .as((c, shard, index, s, r) -> new SequenceNumber(2, c, shard, index, s, r, 0));
        Arbitrary<SequenceNumber> v1 = Combinators.combine(
                        seconds,
                        Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                        Arbitraries.longs().between(0, 255),
                        seconds,
                        reserved,
                        Arbitraries.longs().between(0, (1L << 56) - 1))
                .as((c, shard, index, s, r, random) -> new SequenceNumber(1, c, shard, index, s, r, random));
        Arbitrary<SequenceNumber> v0 = Combinators.combine(
                        Arbitraries.longs().between(0, SequenceNumber.MAX_CREATE_SECONDS - 1),
                        Arbitraries.longs().between(0, 0xFFFF),
                        reserved,
                        Arbitraries.longs())
                .as((c, shard, r, random) -> new SequenceNumber(0, c, shard, 0, 0, r, random));
        return Arbitraries.oneOf(v2, v1, v0);
    }

    @Provide
    Arbitrary<String> decimals() {
        Arbitrary<String> anyLength = Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.TEN.pow(129).subtract(BigInteger.ONE))
                .map(BigInteger::toString);
        // most random numbers are far from the layouts: also draw around AWS's 56-digit range and version 0's
        Arbitrary<String> nearVersion2 = Arbitraries.bigIntegers()
                .between(
                        BigInteger.ONE.shiftLeft(185).subtract(BigInteger.TEN),
                        BigInteger.valueOf(3).shiftLeft(184).add(BigInteger.TEN))
                .map(BigInteger::toString);
        Arbitrary<String> nearVersion0 = Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(130))
                .map(BigInteger::toString);
        return Arbitraries.oneOf(anyLength, nearVersion2, nearVersion0);
    }

    @Provide
    Arbitrary<String> notDecimals() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(0).ofMaxLength(60).filter(s -> !PutRecordValidator.isDecimal(s, 129)),
                Arbitraries.strings().numeric().ofMinLength(2).ofMaxLength(60).map(s -> "0" + s),
                Arbitraries.strings().numeric().ofLength(130).map(s -> "1" + s),
                Arbitraries.of("-1", "1.5", "1e5", " 1", "1 ", "+1", "0x10", "４２"));
    }

    private static String hex(long value, int digits) {
        String h = Long.toHexString(value);
        h = h.length() > digits ? h.substring(h.length() - digits) : h;
        return "0".repeat(digits - h.length()) + h;
    }
}
