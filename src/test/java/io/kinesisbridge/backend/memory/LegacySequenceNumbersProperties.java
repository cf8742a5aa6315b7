package io.kinesisbridge.backend.memory;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import static org.assertj.core.api.Assertions.assertThat;

/** Sequence numbers: AWS's 56 digits, "49" + shard index in 6 digits + position in 48, and read back. */
class SequenceNumbersProperties {

    @Property
    void formatIsTheFixedWidthLayout_andParseReadsItBack(@ForAll @IntRange(min = 0, max = 999_999) int shard,
                                                         @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long position) {
        String s = SequenceNumbers.format(shard, position);
        assertThat(s).isEqualTo("49" + String.format("%06d", shard) + String.format("%048d", position));
        assertThat(SequenceNumbers.parse(s)).contains(new SequenceNumbers.Position(shard, position));
    }

    @Property
    void laterPositionsSortAfterEarlierOnes(@ForAll @IntRange(min = 0, max = 999_999) int shard,
                                            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long position) {
        assertThat(SequenceNumbers.format(shard, position + 1)).isGreaterThan(SequenceNumbers.format(shard, position));
    }

    @org.junit.jupiter.api.Test
    void numbersWeDidNotIssue_areNotParsed() {
        assertThat(SequenceNumbers.parse("49" + "000000" + "0".repeat(29) + "9999999999999999999")).isEmpty(); // > long
        assertThat(SequenceNumbers.parse("49" + "000000" + "1" + "0".repeat(47))).isEmpty();
        assertThat(SequenceNumbers.parse("48" + "0".repeat(54))).isEmpty();
        assertThat(SequenceNumbers.parse("49" + "0".repeat(53))).isEmpty();
        assertThat(SequenceNumbers.parse("49" + "0".repeat(53) + "x")).isEmpty();
    }
}
