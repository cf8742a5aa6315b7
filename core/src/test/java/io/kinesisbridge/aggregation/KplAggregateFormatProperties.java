package io.kinesisbridge.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The hand-written encoder and decoder against protobuf-java's classes for the KPL's messages (shipped in the KCL). */
class KplAggregateFormatProperties {

    private static final ShardRange WHOLE_STREAM =
            ShardMap.evenSplit(1).shards().get(0);
    private static final int LIMIT = UserRecordArbitraries.LARGEST_LIMIT;

    @Property(tries = 300)
    void aggregate_isMagicThenProtobufJavasEncodingThenItsMd5(
            @ForAll @Size(min = 2, max = 60) List<@From("records") UserRecord> generated,
            @ForAll @IntRange(min = 2, max = 60) int maxUserRecords)
            throws Exception {
        List<UserRecord> records = generated.stream()
                .map(r -> UserRecordArbitraries.fitted(r, LIMIT))
                .toList();

        for (PackedRecord p : Aggregator.pack(WHOLE_STREAM, LIMIT, maxUserRecords, records)) {
            if (!p.isAggregate()) {
                continue;
            }
            byte[] expected = Kcl.protobufJavaEncoding(p.userRecords());
            byte[] data = p.data();
            assertThat(Arrays.copyOfRange(data, 0, 4)).containsExactly(0xF3, 0x89, 0x9A, 0xC2);
            assertThat(AggregatorTest.protobufOf(data)).isEqualTo(expected);
            assertThat(Arrays.copyOfRange(data, data.length - 16, data.length))
                    .isEqualTo(MessageDigest.getInstance("MD5").digest(expected));
        }
    }

    @Property(tries = 300)
    void protobufJavasAggregate_isDecodedToItsRecords(
            @ForAll @Size(min = 1, max = 60) List<@From("records") UserRecord> generated) throws Exception {
        List<UserRecord> records = generated.stream()
                .map(r -> UserRecordArbitraries.fitted(r, LIMIT))
                .toList();
        byte[] data = Kcl.framed(Kcl.protobufJavaEncoding(records));

        assertThat(Deaggregator.deaggregate("outer", null, data)).containsExactlyElementsOf(records);
    }

    @Provide
    Arbitrary<UserRecord> records() {
        return UserRecordArbitraries.userRecords();
    }
}
