package io.kinesisbridge.aggregation;

import java.util.List;

/**
 * The reading side: turns a Kinesis record back into the user records it carries. A record in the KPL aggregated
 * record format gives its user records, in order, each with its own partition key and ExplicitHashKey; any other
 * record gives itself. As in the KCL, a record is an aggregate only when it starts with the magic bytes and ends with
 * the MD5 of what lies between; a record that has both but whose message does not parse is also taken as it is
 * (where the KCL would log an error and drop the user records it had not yet read).
 *
 * <p>A user record whose own data happens to be a valid aggregate cannot be told from one, here as in the KCL.
 */
public final class Deaggregator {

    private Deaggregator() {}

    /**
     * @param partitionKey    the Kinesis record's partition key
     * @param explicitHashKey its ExplicitHashKey when known ({@code null} otherwise: GetRecords does not return it)
     * @param data            its data
     * @return the user records of an aggregate (none for an aggregate without records), or the record itself
     */
    public static List<UserRecord> deaggregate(String partitionKey, String explicitHashKey, byte[] data) {
        return KplAggregateFormat.decode(data)
                .orElseGet(() -> List.of(new UserRecord(partitionKey, explicitHashKey, data)));
    }

    /** Whether {@code data} is a KPL aggregate that {@link #deaggregate} unpacks. */
    public static boolean isAggregate(byte[] data) {
        return KplAggregateFormat.decode(data).isPresent();
    }
}
