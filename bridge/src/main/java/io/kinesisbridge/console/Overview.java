package io.kinesisbridge.console;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.IteratorType;
import io.kinesisbridge.backend.memory.StreamSnapshot;
import io.kinesisbridge.component.KinesisPutComponent;
import io.kinesisbridge.dispatch.DispatchStats;
import io.kinesisbridge.dispatch.StreamDispatcher;
import io.kinesisbridge.put.HashKey;
import io.kinesisbridge.put.KinesisException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.camel.CamelContext;

/**
 * What the console's live view shows each second, per stream and per shard: the dispatcher's counters (read from
 * {@link DispatchStats}, which the bridge keeps anyway) and, on the in-memory backend, the shards with their
 * hash-key ranges and the records each holds. Rates are per second since the previous overview.
 */
final class Overview {

    private static final BigDecimal SPACE = new BigDecimal(HashKey.SPACE);

    private final CamelContext context;
    private final Optional<InMemoryKinesis> kinesis;
    /** Totals of the previous overview, by "stream" and "stream/shard", for the rates. */
    private Map<String, Long> previous = Map.of();

    private long previousNanos;

    Overview(CamelContext context, Optional<InMemoryKinesis> kinesis) {
        this.context = context;
        this.kinesis = kinesis;
    }

    synchronized Map<String, Object> build() {
        long now = System.nanoTime();
        double seconds = previousNanos == 0 ? 0 : (now - previousNanos) / 1e9;
        Map<String, Long> totals = new HashMap<>();
        Map<String, StreamDispatcher> dispatchers = dispatchers();
        TreeSet<String> names = new TreeSet<>(dispatchers.keySet());
        kinesis.ifPresent(k -> names.addAll(k.streamNames()));
        List<Map<String, Object>> streams = new ArrayList<>();
        for (String name : names) {
            streams.add(stream(name, Optional.ofNullable(dispatchers.get(name)), totals, seconds));
        }
        previous = totals;
        previousNanos = now;
        Map<String, Object> overview = new LinkedHashMap<>();
        overview.put("time", System.currentTimeMillis());
        overview.put("streams", streams);
        return overview;
    }

    private Map<String, StreamDispatcher> dispatchers() {
        return context.hasComponent("kinesis-put") instanceof KinesisPutComponent component
                ? component.dispatchers()
                : Map.of();
    }

    private Map<String, Object> stream(
            String name, Optional<StreamDispatcher> dispatcher, Map<String, Long> totals, double seconds) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        Optional<DispatchStats> stats = dispatcher.map(StreamDispatcher::stats);
        long acknowledged = stats.map(DispatchStats::recordsAcknowledged).orElse(0L);
        s.put("in", stats.map(DispatchStats::recordsIn).orElse(0L));
        s.put("acknowledged", acknowledged);
        s.put("deadLettered", stats.map(DispatchStats::recordsDeadLettered).orElse(0L));
        s.put("throttled", stats.map(DispatchStats::recordsThrottled).orElse(0L));
        s.put("retried", stats.map(DispatchStats::recordsRetried).orElse(0L));
        s.put("refused", stats.map(DispatchStats::recordsRefused).orElse(0L));
        s.put("returned", stats.map(DispatchStats::recordsReturned).orElse(0L));
        s.put("spooled", stats.map(DispatchStats::spooledRecords).orElse(0L));
        s.put("pending", stats.map(DispatchStats::pendingRecords).orElse(0L));
        s.put("putRate", rate(name, acknowledged, totals, seconds));
        Map<String, DispatchStats.ShardStats> shardStats =
                stats.map(DispatchStats::shards).orElse(Map.of());
        List<Map<String, Object>> shards = new ArrayList<>();
        Optional<StreamSnapshot> snapshot = snapshot(name);
        s.put("status", snapshot.map(StreamSnapshot::status).orElse("UNKNOWN"));
        s.put("stored", snapshot.map(StreamSnapshot::recordCount).orElse(0L));
        if (snapshot.isPresent()) {
            for (StreamSnapshot.Shard shard : snapshot.get().shards()) {
                shards.add(shard(name, shard, Optional.ofNullable(shardStats.get(shard.shardId())), totals, seconds));
            }
        } else {
            shardStats.forEach((id, st) -> {
                Map<String, Object> shard = new LinkedHashMap<>();
                shard.put("id", id);
                shard.put("open", true);
                counters(shard, name + "/" + id, Optional.of(st), st.recordsAcknowledged(), totals, seconds);
                shards.add(shard);
            });
        }
        s.put("shards", shards);
        return s;
    }

    private Map<String, Object> shard(
            String stream,
            StreamSnapshot.Shard shard,
            Optional<DispatchStats.ShardStats> stats,
            Map<String, Long> totals,
            double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", shard.shardId());
        m.put("open", shard.open());
        m.put("startingHashKey", shard.range().startingHashKey().toBigInteger().toString());
        m.put("endingHashKey", shard.range().endingHashKey().toBigInteger().toString());
        m.put("from", fraction(shard.range().startingHashKey()));
        m.put("to", fraction(shard.range().endingHashKey().toBigInteger().add(BigInteger.ONE)));
        long written = written(stream, shard.shardId());
        m.put("written", written);
        counters(m, stream + "/" + shard.shardId(), stats, written, totals, seconds);
        return m;
    }

    private void counters(
            Map<String, Object> m,
            String rateKey,
            Optional<DispatchStats.ShardStats> stats,
            long rateOf,
            Map<String, Long> totals,
            double seconds) {
        m.put("sent", stats.map(DispatchStats.ShardStats::recordsSent).orElse(0L));
        m.put(
                "acknowledged",
                stats.map(DispatchStats.ShardStats::recordsAcknowledged).orElse(0L));
        m.put("throttled", stats.map(DispatchStats.ShardStats::recordsThrottled).orElse(0L));
        m.put("queued", stats.map(DispatchStats.ShardStats::queuedRecords).orElse(0L));
        m.put("putRate", rate(rateKey, rateOf, totals, seconds));
    }

    /** Records the shard took since it was created, whoever put them (routes or the endpoint). */
    private long written(String stream, String shardId) {
        try {
            return kinesis.map(k -> k.iterator(stream, shardId, IteratorType.LATEST, null, null)
                            .position())
                    .orElse(0L);
        } catch (KinesisException e) {
            return 0;
        }
    }

    private Optional<StreamSnapshot> snapshot(String stream) {
        try {
            return kinesis.filter(k -> k.hasStream(stream)).map(k -> k.describe(stream));
        } catch (KinesisException e) {
            return Optional.empty();
        }
    }

    private double rate(String key, long total, Map<String, Long> totals, double seconds) {
        totals.put(key, total);
        Long before = previous.get(key);
        if (before == null || seconds <= 0) {
            return 0;
        }
        return Math.max(0, Math.round((total - before) / seconds * 10) / 10.0);
    }

    private static double fraction(HashKey key) {
        return fraction(key.toBigInteger());
    }

    private static double fraction(BigInteger key) {
        return new BigDecimal(key).divide(SPACE, MathContext.DECIMAL64).doubleValue();
    }
}
