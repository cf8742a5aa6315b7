package io.kinesisbridge.backend.memory;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The numbers of journals written before AWS's layout: "49" + shard index in 6 digits + position in 48, read back. */
class LegacySequenceNumbersProperties {

    @Property
    void formatIsTheFixedWidthLayout_andParseReadsItBack(
            @ForAll @IntRange(min = 0, max = 999_999) int shard,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long position) {
        String s = LegacySequenceNumbers.format(shard, position);
        assertThat(s).isEqualTo("49" + String.format("%06d", shard) + String.format("%048d", position));
        assertThat(LegacySequenceNumbers.parse(s)).contains(new LegacySequenceNumbers.Position(shard, position));
    }

    @Property
    void laterPositionsSortAfterEarlierOnes(
            @ForAll @IntRange(min = 0, max = 999_999) int shard,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long position) {
        assertThat(LegacySequenceNumbers.format(shard, position + 1))
                .isGreaterThan(LegacySequenceNumbers.format(shard, position));
    }

    @org.junit.jupiter.api.Test
    void numbersWeDidNotIssue_areNotParsed() {
        assertThat(LegacySequenceNumbers.parse("49" + "000000" + "0".repeat(29) + "9999999999999999999"))
                .isEmpty(); // > long
        assertThat(LegacySequenceNumbers.parse("49" + "000000" + "1" + "0".repeat(47)))
                .isEmpty();
        assertThat(LegacySequenceNumbers.parse("48" + "0".repeat(54))).isEmpty();
        assertThat(LegacySequenceNumbers.parse("49" + "0".repeat(53))).isEmpty();
        assertThat(LegacySequenceNumbers.parse("49" + "0".repeat(53) + "x")).isEmpty();
    }
}
