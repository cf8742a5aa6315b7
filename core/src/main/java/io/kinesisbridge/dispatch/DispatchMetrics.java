package io.kinesisbridge.dispatch;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * A dispatcher's counters as Micrometer meters, tagged {@code stream} (and {@code shard} for the per-shard ones),
 * read from {@link DispatchStats} when the registry is scraped. Prometheus shows them as
 * {@code kinesis_bridge_records_in_total{stream="…"}}, {@code kinesis_bridge_shard_records_sent_total{stream,shard}}, …
 */
public final class DispatchMetrics implements AutoCloseable {

    public static final String PREFIX = "kinesis.bridge.";

    private final MeterRegistry registry;
    private final DispatchStats stats;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();

    private DispatchMetrics(MeterRegistry registry, DispatchStats stats) {
        this.registry = registry;
        this.stats = stats;
    }

    /** Registers the stream's meters, and each shard's as the dispatcher learns it. */
    public static DispatchMetrics bind(StreamDispatcher dispatcher, MeterRegistry registry) {
        DispatchStats stats = dispatcher.stats();
        DispatchMetrics metrics = new DispatchMetrics(registry, stats);
        Tags tags = Tags.of("stream", dispatcher.streamName());
        metrics.counter("records.in", "Records taken by the dispatcher", tags, stats, DispatchStats::recordsIn);
        metrics.counter(
                "records.sent", "Record sends, first sends and resends", tags, stats, DispatchStats::recordsSent);
        metrics.counter(
                "records.acknowledged",
                "Records Kinesis acknowledged",
                tags,
                stats,
                DispatchStats::recordsAcknowledged);
        metrics.counter(
                "records.retried",
                "Resends of records after a retryable failure",
                tags,
                stats,
                DispatchStats::recordsRetried);
        metrics.counter(
                "records.throttled",
                "Record sends refused with ProvisionedThroughputExceededException",
                tags,
                stats,
                DispatchStats::recordsThrottled);
        metrics.counter(
                "records.dead.lettered",
                "Records written to the dead-letter output",
                tags,
                stats,
                DispatchStats::recordsDeadLettered);
        metrics.counter(
                "dead.letter.write.failures",
                "Dead letters that could not be written (a full disk, say); "
                        + "their records went back to their sources",
                tags,
                stats,
                DispatchStats::deadLetterWriteFailures);
        metrics.counter(
                "records.returned",
                "Records given back to their sources: the spool was full while Kinesis "
                        + "did not take them, or their dead letter could not be written",
                tags,
                stats,
                DispatchStats::recordsReturned);
        metrics.counter(
                "records.refused",
                "Records not taken because the stream's pending bytes were at their limit",
                tags,
                stats,
                DispatchStats::recordsRefused);
        metrics.counter("requests", "PutRecords and PutRecord requests sent", tags, stats, DispatchStats::requests);
        metrics.gauge(
                "records.in.flight",
                "Records taken and not yet acknowledged or dead-lettered",
                tags,
                stats,
                DispatchStats::pendingRecords);
        metrics.gauge(
                "records.unaccounted",
                "Records in minus acknowledged, dead-lettered, in flight, spooled and "
                        + "returned, read at one instant: 0 unless the bridge lost track of a record",
                tags,
                dispatcher,
                StreamDispatcher::unaccounted);
        metrics.gauge(
                "bytes.in.flight",
                "Data and partition-key bytes of the records in flight",
                tags,
                stats,
                DispatchStats::pendingBytes);
        if (dispatcher.hasSpool()) {
            metrics.gauge(
                    "spool.records",
                    "Records in the spool on disk, not yet acknowledged (records in = "
                            + "acknowledged + dead-lettered + in flight + spooled + returned)",
                    tags,
                    stats,
                    DispatchStats::spooledRecords);
            metrics.gauge(
                    "spool.bytes", "Bytes the spool holds on disk", tags, dispatcher, StreamDispatcher::spoolBytes);
            metrics.gauge(
                    "spool.blocked",
                    "1 while the spool takes no records (full, or a write failed)",
                    tags,
                    stats,
                    DispatchStats::spoolBlocked);
            metrics.counter(
                    "records.spooled",
                    "Records written to the spool, to be sent when Kinesis answers again",
                    tags,
                    stats,
                    DispatchStats::recordsSpooled);
            metrics.counter(
                    "spool.recovered",
                    "Records found in the spool at start, from an earlier run",
                    tags,
                    stats,
                    DispatchStats::spoolRecovered);
            metrics.counter(
                    "spool.write.failures",
                    "Spool writes that failed (a full disk, say)",
                    tags,
                    stats,
                    DispatchStats::spoolWriteFailures);
        }
        stats.onShard((shardId, shard) -> {
            Tags shardTags = tags.and("shard", shardId);
            metrics.counter(
                    "shard.records.sent",
                    "Record sends routed to the shard",
                    shardTags,
                    shard,
                    DispatchStats.ShardStats::recordsSent);
            metrics.counter(
                    "shard.records.acknowledged",
                    "Records the shard acknowledged",
                    shardTags,
                    shard,
                    DispatchStats.ShardStats::recordsAcknowledged);
            metrics.counter(
                    "shard.records.throttled",
                    "Record sends the shard throttled",
                    shardTags,
                    shard,
                    DispatchStats.ShardStats::recordsThrottled);
            metrics.gauge(
                    "shard.records.queued",
                    "Records waiting for the shard's budget or a request slot",
                    shardTags,
                    shard,
                    DispatchStats.ShardStats::queuedRecords);
        });
        return metrics;
    }

    private <T> void counter(String name, String description, Tags tags, T source, ToLong<T> value) {
        meters.add(FunctionCounter.builder(PREFIX + name, source, s -> value.apply(s))
                .description(description)
                .tags(tags)
                .register(registry));
    }

    private <T> void gauge(String name, String description, Tags tags, T source, ToLong<T> value) {
        ToDoubleFunction<T> f = s -> value.apply(s);
        meters.add(Gauge.builder(PREFIX + name, source, f)
                .description(description)
                .tags(tags)
                .register(registry));
    }

    /** Removes the meters, so that a stopped dispatcher's counters do not linger in the registry. */
    @Override
    public void close() {
        stats.onShard((id, shard) -> {});
        meters.forEach(registry::remove);
        meters.clear();
    }

    @FunctionalInterface
    private interface ToLong<T> {
        long apply(T t);
    }
}
