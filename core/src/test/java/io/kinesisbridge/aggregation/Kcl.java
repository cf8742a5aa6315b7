package io.kinesisbridge.aggregation;

import com.google.protobuf.ByteString;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.ShardRange;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.Messages;

/** The references the tests check against: the KCL's de-aggregation and the KPL format's protobuf-java classes it ships. */
final class Kcl {

    private Kcl() {}

    /** The user records the KCL's {@link AggregatorUtil} reads from these Kinesis records of {@code shard}, in order. */
    static List<UserRecord> deaggregate(ShardRange shard, List<PackedRecord> packed) {
        List<KinesisClientRecord> read = new ArrayList<>();
        for (int i = 0; i < packed.size(); i++) {
            PackedRecord p = packed.get(i);
            read.add(KinesisClientRecord.builder()
                    .sequenceNumber(Integer.toString(i))
                    .partitionKey(p.partitionKey())
                    .explicitHashKey(p.explicitHashKey())
                    .data(ByteBuffer.wrap(p.data()))
                    .build());
        }
        List<KinesisClientRecord> userRecords = new AggregatorUtil()
                .deaggregate(
                        read,
                        shard.startingHashKey().toBigInteger(),
                        shard.endingHashKey().toBigInteger());
        return userRecords.stream().map(Kcl::toUserRecord).toList();
    }

    /** What the KCL makes of one Kinesis record's data, with the shard taken as the whole hash-key space. */
    static List<UserRecord> deaggregate(String partitionKey, byte[] data) {
        return deaggregate(
                new ShardRange("shardId-000000000000", HashKey.MIN, HashKey.MAX),
                List.of(new PackedRecord(partitionKey, null, data, List.of(UserRecord.of(partitionKey, data)))));
    }

    /** protobuf-java's encoding of the AggregatedRecord holding {@code records}, tables in order of first use. */
    static byte[] protobufJavaEncoding(List<UserRecord> records) {
        Messages.AggregatedRecord.Builder message = Messages.AggregatedRecord.newBuilder();
        Map<String, Integer> keys = new LinkedHashMap<>();
        Map<String, Integer> hashKeys = new LinkedHashMap<>();
        for (UserRecord r : records) {
            Messages.Record.Builder record = Messages.Record.newBuilder()
                    .setPartitionKeyIndex(indexOf(keys, r.partitionKey(), message::addPartitionKeyTable))
                    .setData(ByteString.copyFrom(r.data()));
            if (r.explicitHashKey() != null) {
                record.setExplicitHashKeyIndex(
                        indexOf(hashKeys, r.explicitHashKey(), message::addExplicitHashKeyTable));
            }
            message.addRecords(record);
        }
        return message.build().toByteArray();
    }

    /** A Kinesis record's data in the aggregate frame around {@code protobuf}: magic, the bytes, their MD5. */
    static byte[] framed(byte[] protobuf) throws Exception {
        byte[] md5 = MessageDigest.getInstance("MD5").digest(protobuf);
        byte[] out = new byte[4 + protobuf.length + 16];
        System.arraycopy(AggregatorUtil.AGGREGATED_RECORD_MAGIC, 0, out, 0, 4);
        System.arraycopy(protobuf, 0, out, 4, protobuf.length);
        System.arraycopy(md5, 0, out, 4 + protobuf.length, 16);
        return out;
    }

    private static int indexOf(Map<String, Integer> table, String key, Consumer<String> addToMessage) {
        Integer index = table.get(key);
        if (index == null) {
            index = table.size();
            table.put(key, index);
            addToMessage.accept(key);
        }
        return index;
    }

    private static UserRecord toUserRecord(KinesisClientRecord r) {
        ByteBuffer data = r.data().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return new UserRecord(r.partitionKey(), r.explicitHashKey(), bytes);
    }
}
