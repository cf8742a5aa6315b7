package io.kinesisbridge.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kinesisbridge.put.ShardMap;
import io.kinesisbridge.put.ShardRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.retrieval.kpl.Messages;

class AggregatorTest {

    private static final int MIB = 1_048_576;
    private static final ShardRange WHOLE_STREAM =
            ShardMap.evenSplit(1).shards().get(0);

    @Test
    void oneRecordExactlyAtTheLimit_goesOutAsItIs() {
        UserRecord record = UserRecord.of("ü", new byte[MIB - 2]); // "ü" is 2 UTF-8 bytes

        List<PackedRecord> packed = Aggregator.pack(WHOLE_STREAM, MIB, 100, List.of(record));

        assertThat(packed).singleElement().satisfies(p -> {
            assertThat(p.isAggregate()).isFalse();
            assertThat(p.sizeBytes()).isEqualTo(MIB);
            assertThat(p.partitionKey()).isEqualTo("ü");
            assertThat(p.data()).isSameAs(record.data());
        });
    }

    @Test
    void aggregateExactlyAtTheLimit_isOneRecord_andOneByteMoreIsTwo() {
        // key "k" (1 byte) + magic and MD5 (20) + key table entry (1 + 1 + 1)
        // + record of 10 bytes (tag 1, length 1, body: index 2, data 1 + 1 + 10 = 14) = 16
        // + record of n bytes, n < 2^21 (tag 1, length 3, body: index 2, data 1 + 3 + n) = n + 10; total n + 50
        int n = MIB - 50;
        UserRecord small = UserRecord.of("k", new byte[10]);

        List<PackedRecord> atLimit =
                Aggregator.pack(WHOLE_STREAM, MIB, 100, List.of(small, UserRecord.of("k", new byte[n])));
        List<PackedRecord> overLimit =
                Aggregator.pack(WHOLE_STREAM, MIB, 100, List.of(small, UserRecord.of("k", new byte[n + 1])));

        assertThat(atLimit).singleElement().satisfies(p -> {
            assertThat(p.isAggregate()).isTrue();
            assertThat(p.sizeBytes()).isEqualTo(MIB);
        });
        assertThat(overLimit).hasSize(2).noneMatch(PackedRecord::isAggregate);
        assertThat(overLimit.get(0).userRecords()).containsExactly(small);
    }

    @Test
    void recordTooBigToShare_goesAloneAtOnce_afterWhatWasPending() {
        Aggregator aggregator = new Aggregator(WHOLE_STREAM, MIB, 100);
        UserRecord first = UserRecord.of("a", new byte[100]);
        UserRecord second = UserRecord.of("b", new byte[100]);
        UserRecord big = UserRecord.of("k", new byte[MIB - 1]); // fits alone, not with the aggregate's framing
        UserRecord after = UserRecord.of("c", new byte[100]);

        assertThat(aggregator.add(first)).isEmpty();
        assertThat(aggregator.add(second)).isEmpty();
        List<PackedRecord> out = aggregator.add(big);
        assertThat(aggregator.add(after)).isEmpty();

        assertThat(out).hasSize(2);
        assertThat(out.get(0).userRecords()).containsExactly(first, second);
        assertThat(out.get(1).isAggregate()).isFalse();
        assertThat(out.get(1).userRecords()).containsExactly(big);
        assertThat(aggregator.flush())
                .hasValueSatisfying(p -> assertThat(p.userRecords()).containsExactly(after));
    }

    @Test
    void reusedKeys_shareOneTableEntry() throws InvalidProtocolBufferException {
        List<UserRecord> records = List.of(
                new UserRecord("a", null, bytes(1)),
                new UserRecord("b", "7", bytes(2)),
                new UserRecord("a", "7", bytes(3)),
                new UserRecord("a", null, bytes(4)));

        PackedRecord packed = Aggregator.pack(WHOLE_STREAM, MIB, 100, records).get(0);
        Messages.AggregatedRecord message = Messages.AggregatedRecord.parseFrom(protobufOf(packed.data()));

        assertThat(message.getPartitionKeyTableList()).containsExactly("a", "b");
        assertThat(message.getExplicitHashKeyTableList()).containsExactly("7");
        assertThat(message.getRecordsList())
                .extracting(Messages.Record::getPartitionKeyIndex)
                .containsExactly(0L, 1L, 0L, 0L);
        assertThat(message.getRecordsList())
                .extracting(Messages.Record::hasExplicitHashKeyIndex)
                .containsExactly(false, true, true, false);
        assertThat(message.getRecords(2).getExplicitHashKeyIndex()).isZero();
    }

    @Test
    void aggregate_takesTheFirstRecordsKeyAndExplicitHashKey() {
        PackedRecord withHashKey = Aggregator.pack(
                        WHOLE_STREAM,
                        MIB,
                        100,
                        List.of(new UserRecord("first", "12345", bytes(1)), UserRecord.of("second", bytes(2))))
                .get(0);
        PackedRecord withoutHashKey = Aggregator.pack(
                        WHOLE_STREAM,
                        MIB,
                        100,
                        List.of(UserRecord.of("first", bytes(1)), new UserRecord("second", "12345", bytes(2))))
                .get(0);

        assertThat(withHashKey.partitionKey()).isEqualTo("first");
        assertThat(withHashKey.explicitHashKey()).isEqualTo("12345");
        assertThat(withoutHashKey.partitionKey()).isEqualTo("first");
        assertThat(withoutHashKey.explicitHashKey()).isNull();
    }

    @Test
    void maxUserRecords_closesTheAggregateWhenReached() {
        Aggregator aggregator = new Aggregator(WHOLE_STREAM, MIB, 3);
        List<Integer> handedOutAfter = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            List<PackedRecord> out = aggregator.add(UserRecord.of("k" + i, bytes(i)));
            out.forEach(p -> assertThat(p.userRecords()).hasSize(3));
            if (!out.isEmpty()) {
                handedOutAfter.add(i);
            }
        }

        assertThat(handedOutAfter).containsExactly(2, 5);
        assertThat(aggregator.flush())
                .hasValueSatisfying(p -> assertThat(p.isAggregate()).isFalse());
        assertThat(aggregator.flush()).isEmpty();
    }

    @Test
    void maxUserRecordsOfOne_handsOutEveryRecordAsItIs() {
        List<UserRecord> records = List.of(UserRecord.of("a", bytes(1)), UserRecord.of("b", bytes(2)));

        assertThat(Aggregator.pack(WHOLE_STREAM, MIB, 1, records))
                .extracting(PackedRecord::isAggregate)
                .containsExactly(false, false);
    }

    @Test
    void recordOfAnotherShard_isRefused() {
        ShardRange first = ShardMap.evenSplit(4).shards().get(0);
        Aggregator aggregator = new Aggregator(first, MIB, 100);

        // user-42 hashes to shardId-000000000001 of four (kinesis-semantics.md)
        assertThatThrownBy(() -> aggregator.add(UserRecord.of("user-42", bytes(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shardId-000000000000");
        assertThatCode(() -> aggregator.add(
                        new UserRecord("user-42", first.endingHashKey().toString(), bytes(1))))
                .doesNotThrowAnyException();
    }

    @Test
    void recordOverTheLimitOnItsOwn_isRefused() {
        Aggregator aggregator = new Aggregator(WHOLE_STREAM, MIB, 100);

        assertThatThrownBy(() -> aggregator.add(UserRecord.of("ü", new byte[MIB - 1])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maximum record size");
        assertThat(aggregator.pendingUserRecords()).isZero();
    }

    static byte[] protobufOf(byte[] aggregate) {
        return Arrays.copyOfRange(aggregate, 4, aggregate.length - 16);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) n);
        return b;
    }
}
