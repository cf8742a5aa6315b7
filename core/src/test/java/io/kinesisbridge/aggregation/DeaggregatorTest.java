package io.kinesisbridge.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kinesisbridge.put.ShardMap;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.retrieval.kpl.Messages;

/**
 * What the reading side makes of records that are, or only look like, aggregates; each case is also put to the KCL,
 * whose answer must be the same.
 */
class DeaggregatorTest {

    @Test
    void plainRecord_isItself() {
        byte[] data = "{\"temp\":21}".getBytes(StandardCharsets.UTF_8);

        assertThat(Deaggregator.deaggregate("sensor-1", null, data)).containsExactly(UserRecord.of("sensor-1", data));
        assertThat(Kcl.deaggregate("sensor-1", data)).containsExactly(UserRecord.of("sensor-1", data));
    }

    @Test
    void aggregateWithTagsAndUnknownFields_givesItsRecords_withoutTheTags() throws Exception {
        Messages.AggregatedRecord message = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("a")
                .addPartitionKeyTable("b")
                .addExplicitHashKeyTable("42")
                .addRecords(Messages.Record.newBuilder()
                        .setPartitionKeyIndex(1)
                        .setData(ByteString.copyFromUtf8("one"))
                        .addTags(Messages.Tag.newBuilder().setKey("k").setValue("v")))
                .addRecords(Messages.Record.newBuilder()
                        .setPartitionKeyIndex(0)
                        .setExplicitHashKeyIndex(0)
                        .setData(ByteString.copyFromUtf8("two"))
                        .addTags(Messages.Tag.newBuilder().setKey("only-key")))
                .build();
        // field 9, varint 1, and field 10, 3 bytes: fields this version of the format does not know
        byte[] unknownFields = {(byte) (9 << 3), 1, (byte) (10 << 3 | 2), 3, 'x', 'y', 'z'};
        byte[] data = Kcl.framed(concat(message.toByteArray(), unknownFields));

        List<UserRecord> expected =
                List.of(new UserRecord("b", null, bytes("one")), new UserRecord("a", "42", bytes("two")));
        assertThat(Deaggregator.deaggregate("outer", null, data)).containsExactlyElementsOf(expected);
        assertThat(Kcl.deaggregate("outer", data)).containsExactlyElementsOf(expected);
    }

    @Test
    void aggregateWhoseMd5DoesNotMatch_isItself() {
        byte[] data = packedAggregate();
        data[data.length - 1] ^= 1;

        assertItselfHereAndInTheKcl(data);
    }

    @Test
    void aggregateWithAChangedByte_isItself() {
        byte[] data = packedAggregate();
        data[10] ^= 1;

        assertItselfHereAndInTheKcl(data);
    }

    @Test
    void magicAndMd5OfNothing_isItself() throws Exception {
        assertItselfHereAndInTheKcl(Kcl.framed(new byte[0]));
        assertItselfHereAndInTheKcl(Arrays.copyOf(packedAggregate(), 4));
    }

    @Test
    void framedBytesThatAreNoProtobufMessage_areItself() throws Exception {
        assertItselfHereAndInTheKcl(Kcl.framed(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        assertItselfHereAndInTheKcl(Kcl.framed(new byte[] {(byte) (3 << 3 | 2), 100, 1})); // a length past the end
    }

    @Test
    void recordWithoutItsRequiredData_isItself() throws Exception {
        Messages.AggregatedRecord message = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("a")
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0).buildPartial())
                .buildPartial();

        assertItselfHereAndInTheKcl(Kcl.framed(message.toByteArray()));
    }

    @Test
    void tagWithoutItsRequiredKey_isItself() throws Exception {
        Messages.AggregatedRecord message = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("a")
                .addRecords(Messages.Record.newBuilder()
                        .setPartitionKeyIndex(0)
                        .setData(ByteString.copyFromUtf8("d"))
                        .addTags(Messages.Tag.newBuilder().setValue("v").buildPartial())
                        .buildPartial())
                .buildPartial();

        assertItselfHereAndInTheKcl(Kcl.framed(message.toByteArray()));
    }

    @Test
    void partitionKeyIndexPastTheTable_isItself() throws Exception {
        Messages.AggregatedRecord message = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("a")
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(1).setData(ByteString.copyFromUtf8("d")))
                .build();
        byte[] data = Kcl.framed(message.toByteArray());

        // not put to the KCL: its error path for this case formats the data with JAXB, which Java 17 does not have,
        // and throws NoClassDefFoundError (with JAXB it would log an error and drop the aggregate)
        assertThat(Deaggregator.deaggregate("outer", null, data)).containsExactly(UserRecord.of("outer", data));
        assertThat(Deaggregator.isAggregate(data)).isFalse();
    }

    @Test
    void aggregateWithoutRecords_givesNone_asInTheKcl() throws Exception {
        Messages.AggregatedRecord message =
                Messages.AggregatedRecord.newBuilder().addPartitionKeyTable("a").build();
        byte[] data = Kcl.framed(message.toByteArray());

        assertThat(Deaggregator.deaggregate("outer", null, data)).isEmpty();
        assertThat(Deaggregator.isAggregate(data)).isTrue();
        assertThat(Kcl.deaggregate("outer", data)).isEmpty();
    }

    private static void assertItselfHereAndInTheKcl(byte[] data) {
        assertThat(Deaggregator.isAggregate(data)).isFalse();
        assertThat(Deaggregator.deaggregate("outer", null, data)).containsExactly(UserRecord.of("outer", data));
        assertThat(Kcl.deaggregate("outer", data)).containsExactly(UserRecord.of("outer", data));
    }

    private static byte[] packedAggregate() {
        List<UserRecord> records = List.of(UserRecord.of("a", bytes("first")), UserRecord.of("b", bytes("second")));
        PackedRecord packed = Aggregator.pack(ShardMap.evenSplit(1).shards().get(0), 1_048_576, 10, records)
                .get(0);
        assertThat(packed.isAggregate()).isTrue();
        return packed.data();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
