package io.kinesisbridge.component;

import io.kinesisbridge.dispatch.Ordering;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Options of a kinesis-put endpoint. The component keeps defaults; each endpoint gets its own copy. */
@UriParams
public class KinesisPutConfiguration implements Cloneable {

    @UriParam(
            description = "Where each record's partition key comes from: const:VALUE, header:NAME, "
                    + "json:/POINTER (a field of the record's JSON data), topic:N (segment N of the MQTT topic), "
                    + "simple:EXPR, jsonpath:EXPR or another Camel language LANG:EXPR, random, or hash (MD5 of the data). "
                    + "The header CamelKinesisPutPartitionKey overrides it. A record without a key is rejected with "
                    + "MissingPartitionKey naming the source, unless partitionKeyFallback is set.")
    private String partitionKey;

    @UriParam(
            description = "Where the key comes from when partitionKey gives none: random, hash or const:VALUE. "
                    + "Unset, such records are rejected.")
    private String partitionKeyFallback;

    @UriParam(
            description = "Where each record's ExplicitHashKey comes from (a decimal hash key that picks the "
                    + "shard instead of the MD5 of the partition key), in the syntax of partitionKey, e.g. const:0 or "
                    + "header:hashKey. The header CamelKinesisPutExplicitHashKey overrides it.")
    private String explicitHashKey;

    @UriParam(
            defaultValue = "KEY",
            enums = "NONE,KEY,CHAIN",
            description = "NONE: records are batched and retried "
                    + "freely. KEY: records of one partition key reach Kinesis in the order they entered the route (one "
                    + "record per key in flight). CHAIN: as KEY, and each record is a PutRecord whose "
                    + "SequenceNumberForOrdering is the sequence number of the key's previous record.")
    private Ordering ordering = Ordering.KEY;

    @UriParam(
            defaultValue = "false",
            description =
                    "Whether the body is a collection (List, array, Iterable) of "
                            + "records rather than one record. Results come back in the header CamelKinesisPutResults, in order.")
    private boolean batch;

    @UriParam(
            defaultValue = "10000",
            description = "How many records this endpoint may have in flight (sent and "
                    + "not yet acknowledged or dead-lettered). Bounds memory; see whenSaturated.")
    private int maxInFlightRecords = 10_000;

    @UriParam(
            defaultValue = "BLOCK",
            enums = "BLOCK,REJECT",
            description = "When maxInFlightRecords are in flight: "
                    + "BLOCK waits (slowing the source) up to saturationTimeout, REJECT fails the exchange at once with a "
                    + "retryable BridgeSaturated error.")
    private WhenSaturated whenSaturated = WhenSaturated.BLOCK;

    @UriParam(
            defaultValue = "60000",
            javaType = "java.time.Duration",
            description = "How long BLOCK waits for room "
                    + "before failing the exchange with BridgeSaturated, in milliseconds.")
    private long saturationTimeout = 60_000;

    @UriParam(
            defaultValue = "false",
            description = "Whether a rejected record also fails the exchange (with a "
                    + "NonRetryableKinesisException) besides going to the dead-letter output. Off, the exchange goes on "
                    + "with the error in the headers CamelKinesisPutErrorCode and CamelKinesisPutErrorMessage. The "
                    + "exception's message names the error code only (the full message may quote the record's key or data, "
                    + "and exceptions are logged); the headers hold the full message.")
    private boolean failOnRejection;

    public KinesisPutConfiguration copy() {
        try {
            return (KinesisPutConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getPartitionKey() {
        return partitionKey;
    }

    public void setPartitionKey(String partitionKey) {
        this.partitionKey = partitionKey;
    }

    public String getPartitionKeyFallback() {
        return partitionKeyFallback;
    }

    public void setPartitionKeyFallback(String partitionKeyFallback) {
        this.partitionKeyFallback = partitionKeyFallback;
    }

    public String getExplicitHashKey() {
        return explicitHashKey;
    }

    public void setExplicitHashKey(String explicitHashKey) {
        this.explicitHashKey = explicitHashKey;
    }

    public Ordering getOrdering() {
        return ordering;
    }

    public void setOrdering(Ordering ordering) {
        this.ordering = ordering;
    }

    public boolean isBatch() {
        return batch;
    }

    public void setBatch(boolean batch) {
        this.batch = batch;
    }

    public int getMaxInFlightRecords() {
        return maxInFlightRecords;
    }

    public void setMaxInFlightRecords(int maxInFlightRecords) {
        this.maxInFlightRecords = maxInFlightRecords;
    }

    public WhenSaturated getWhenSaturated() {
        return whenSaturated;
    }

    public void setWhenSaturated(WhenSaturated whenSaturated) {
        this.whenSaturated = whenSaturated;
    }

    public long getSaturationTimeout() {
        return saturationTimeout;
    }

    public void setSaturationTimeout(long saturationTimeout) {
        this.saturationTimeout = saturationTimeout;
    }

    public boolean isFailOnRejection() {
        return failOnRejection;
    }

    public void setFailOnRejection(boolean failOnRejection) {
        this.failOnRejection = failOnRejection;
    }
}
