package io.kinesisbridge.aggregation;

import io.kinesisbridge.put.ShardRange;
import io.kinesisbridge.put.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Packs the user records bound for one shard, in the order they are added, into Kinesis records in the KPL
 * aggregated record format. Each record it hands out is at most {@code maxRecordSizeBytes} as Kinesis counts it
 * (data plus the partition key's UTF-8 bytes) and carries at most {@code maxUserRecords} user records, in order.
 *
 * <p>An aggregate takes the partition key of its first user record, and that record's ExplicitHashKey when it has
 * one, so it lands exactly where its first user record would, which is the shard all of its user records hash to.
 * (The KPL instead uses the key {@code "a"} with the first record's hash key as ExplicitHashKey; the first
 * record's own key costs a few more bytes but routes without an ExplicitHashKey, and a reader that does not
 * de-aggregate still sees a real key.) A batch of one user record goes out as that record, not as an aggregate,
 * as the KPL does.
 *
 * <p>Not thread-safe: one aggregator per shard queue, used by one thread at a time.
 */
public final class Aggregator {

    private final ShardRange shard;
    private final int maxRecordSizeBytes;
    private final int maxUserRecords;

    private final List<UserRecord> pending = new ArrayList<>();
    private final List<KplAggregateFormat.Entry> entries = new ArrayList<>();
    private final Map<String, Integer> partitionKeyIndex = new HashMap<>();
    private final List<byte[]> partitionKeys = new ArrayList<>();
    private final Map<String, Integer> explicitHashKeyIndex = new HashMap<>();
    private final List<byte[]> explicitHashKeys = new ArrayList<>();
    private int messageLength;
    private int aggregateKeyBytes;

    /**
     * @param shard              the shard every added record must hash to
     * @param maxRecordSizeBytes the stream's maximum record size (Kinesis: 1 MiB by default)
     * @param maxUserRecords     user records per aggregate, at least 1 (1: no aggregation)
     */
    public Aggregator(ShardRange shard, int maxRecordSizeBytes, int maxUserRecords) {
        if (maxRecordSizeBytes < 1) {
            throw new IllegalArgumentException("maxRecordSizeBytes must be positive, got " + maxRecordSizeBytes);
        }
        if (maxUserRecords < 1) {
            throw new IllegalArgumentException("maxUserRecords must be at least 1, got " + maxUserRecords);
        }
        this.shard = shard;
        this.maxRecordSizeBytes = maxRecordSizeBytes;
        this.maxUserRecords = maxUserRecords;
    }

    /** Packs {@code records}, all bound for {@code shard}, in order: what {@link #add} and a final {@link #flush} give. */
    public static List<PackedRecord> pack(
            ShardRange shard, int maxRecordSizeBytes, int maxUserRecords, List<UserRecord> records) {
        Aggregator aggregator = new Aggregator(shard, maxRecordSizeBytes, maxUserRecords);
        List<PackedRecord> out = new ArrayList<>();
        for (UserRecord record : records) {
            out.addAll(aggregator.add(record));
        }
        aggregator.flush().ifPresent(out::add);
        return out;
    }

    public ShardRange shard() {
        return shard;
    }

    /**
     * Adds a record after those added before. Returns the Kinesis records this completes, in order (none, one or
     * two): the pending aggregate when the record does not fit in it or fills it, and the record itself when it is
     * too big to share a record with any other.
     *
     * @throws IllegalArgumentException if the record does not hash to this aggregator's shard, or is larger than
     *                                  the maximum record size on its own (Kinesis would reject it)
     */
    public List<PackedRecord> add(UserRecord record) {
        if (!shard.contains(record.hashKey())) {
            throw new IllegalArgumentException(record + " does not hash to " + shard.shardId());
        }
        int keyBytes = Utf8.encodedLength(record.partitionKey());
        if ((long) keyBytes + record.data().length > maxRecordSizeBytes) {
            throw new IllegalArgumentException(
                    record + " is larger than the maximum record size of " + maxRecordSizeBytes + " bytes");
        }
        List<PackedRecord> completed = new ArrayList<>(2);
        if (!pending.isEmpty() && sizeWith(record) > maxRecordSizeBytes) {
            completed.add(drain());
        }
        if (pending.isEmpty() && aloneAsAggregateSize(record, keyBytes) > maxRecordSizeBytes) {
            completed.add(PackedRecord.single(record));
            return completed;
        }
        append(record, keyBytes);
        if (pending.size() >= maxUserRecords) {
            completed.add(drain());
        }
        return completed;
    }

    /** Hands out the pending records as one Kinesis record, if any are pending. */
    public Optional<PackedRecord> flush() {
        return pending.isEmpty() ? Optional.empty() : Optional.of(drain());
    }

    /** User records added and not yet handed out. */
    public int pendingUserRecords() {
        return pending.size();
    }

    /** The size, as Kinesis counts it, of the record {@link #flush} would hand out now; 0 when nothing is pending. */
    public int pendingSizeBytes() {
        if (pending.isEmpty()) {
            return 0;
        }
        if (pending.size() == 1) {
            UserRecord only = pending.get(0);
            return Utf8.encodedLength(only.partitionKey()) + only.data().length;
        }
        return aggregateKeyBytes + KplAggregateFormat.OVERHEAD_BYTES + messageLength;
    }

    /** The aggregate's size with {@code record} added; long, since a stream's limit may be near Integer.MAX_VALUE. */
    private long sizeWith(UserRecord record) {
        return (long) aggregateKeyBytes + KplAggregateFormat.OVERHEAD_BYTES + messageLength + messageGrowth(record);
    }

    private long aloneAsAggregateSize(UserRecord record, int keyBytes) {
        return (long) keyBytes + KplAggregateFormat.OVERHEAD_BYTES + messageGrowth(record);
    }

    /** How many bytes the protobuf message grows by when {@code record} is added: new table entries and its Record. */
    private long messageGrowth(UserRecord record) {
        long growth = 0;
        Integer keyIndex = partitionKeyIndex.get(record.partitionKey());
        if (keyIndex == null) {
            keyIndex = partitionKeys.size();
            growth += KplAggregateFormat.lengthDelimitedFieldSize(Utf8.encodedLength(record.partitionKey()));
        }
        int hashKeyIndex = -1;
        if (record.explicitHashKey() != null) {
            Integer known = explicitHashKeyIndex.get(record.explicitHashKey());
            hashKeyIndex = known != null ? known : explicitHashKeys.size();
            if (known == null) {
                growth += KplAggregateFormat.lengthDelimitedFieldSize(Utf8.encodedLength(record.explicitHashKey()));
            }
        }
        int body = KplAggregateFormat.recordBodySize(keyIndex, hashKeyIndex, record.data().length);
        return growth + KplAggregateFormat.lengthDelimitedFieldSize(body);
    }

    private void append(UserRecord record, int keyBytes) {
        int growth = (int) messageGrowth(record);
        int keyIndex = partitionKeyIndex.computeIfAbsent(record.partitionKey(), key -> {
            partitionKeys.add(key.getBytes(StandardCharsets.UTF_8));
            return partitionKeys.size() - 1;
        });
        int hashKeyIndex = -1;
        if (record.explicitHashKey() != null) {
            hashKeyIndex = explicitHashKeyIndex.computeIfAbsent(record.explicitHashKey(), key -> {
                explicitHashKeys.add(key.getBytes(StandardCharsets.UTF_8));
                return explicitHashKeys.size() - 1;
            });
        }
        if (pending.isEmpty()) {
            aggregateKeyBytes = keyBytes;
        }
        pending.add(record);
        entries.add(new KplAggregateFormat.Entry(keyIndex, hashKeyIndex, record.data()));
        messageLength += growth;
    }

    private PackedRecord drain() {
        PackedRecord out;
        if (pending.size() == 1) {
            out = PackedRecord.single(pending.get(0));
        } else {
            UserRecord first = pending.get(0);
            byte[] data = KplAggregateFormat.encode(partitionKeys, explicitHashKeys, entries, messageLength);
            out = new PackedRecord(first.partitionKey(), first.explicitHashKey(), data, pending);
        }
        pending.clear();
        entries.clear();
        partitionKeyIndex.clear();
        partitionKeys.clear();
        explicitHashKeyIndex.clear();
        explicitHashKeys.clear();
        messageLength = 0;
        aggregateKeyBytes = 0;
        return out;
    }
}
