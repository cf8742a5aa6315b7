package io.kinesisbridge.bench;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.PutRecordsResponse;
import io.kinesisbridge.backend.StreamDescription;
import io.kinesisbridge.backend.fault.FaultInjectingBackend;
import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.put.KinesisError;
import io.kinesisbridge.put.PutRecordCommand;
import io.kinesisbridge.put.RecordResult;
import io.kinesisbridge.server.EndpointSettings;
import io.kinesisbridge.server.KinesisApi;
import io.kinesisbridge.server.KinesisEndpoint;
import io.kinesisbridge.server.ShardIterators;
import io.kinesisbridge.server.SignatureCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bridge's Kinesis endpoint (KinesisEndpoint over InMemoryKinesis, wired as BridgeConfiguration wires it) in a
 * process of its own, as the target of the bridge's aws backend and of the peer: optionally with Kinesis's per-shard
 * write limits, optionally with added latency per write. It counts the write requests it throttled. On standard
 * input: {@code count STREAM} prints {@code BENCH count STREAM RECORDS THROTTLED_REQUESTS}; end of input stops it.
 *
 * <pre>SinkMain PORT STREAM:SHARDS[,..] SHARD_LIMITS LATENCY_MS</pre>
 */
public final class SinkMain {

    private SinkMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean limits = Boolean.parseBoolean(args[2]);
        int latencyMs = Integer.parseInt(args[3]);
        InMemoryKinesis memory = new InMemoryKinesis(MemoryBackendSettings.defaults()
                .withShardLimits(limits)
                .withMaxBytes(Runtime.getRuntime().maxMemory() / 2));
        for (String spec : args[1].split(",")) {
            String[] p = spec.split(":");
            memory.createStream(p[0], Integer.parseInt(p[1]));
        }
        KinesisBackend writer = memory;
        if (latencyMs > 0) {
            writer = new FaultInjectingBackend(
                    memory,
                    FaultSettings.none().withLatency(Duration.ofMillis(latencyMs), Duration.ZERO),
                    memory.settings().accountId());
        }
        CountingWrites counting = new CountingWrites(writer);
        Clock clock = Clock.systemUTC();
        KinesisEndpoint endpoint = new KinesisEndpoint(
                new KinesisApi(
                        memory,
                        counting,
                        clock,
                        new ShardIterators(clock, ShardIterators.DEFAULT_TTL),
                        SignatureCheck.OFF),
                EndpointSettings.of("127.0.0.1", port));
        endpoint.start();
        System.out.println(
                Child.RESULT_PREFIX + "ready " + URI.create(endpoint.url()).getPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] cmd = line.trim().split(" ");
            if (cmd[0].equals("count")) {
                System.out.println(Child.RESULT_PREFIX + "count " + cmd[1] + " "
                        + memory.describe(cmd[1]).recordCount() + " " + counting.throttledRequests.sum() + " "
                        + memory.describe(cmd[1]).trimmedRecords());
            }
        }
        endpoint.close();
        System.exit(0);
    }

    /** Counts the write requests answered with throttling (a PutRecord, or a PutRecords with a throttled entry). */
    static final class CountingWrites implements KinesisBackend {
        final LongAdder throttledRequests = new LongAdder();
        private final KinesisBackend delegate;

        CountingWrites(KinesisBackend delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public CompletableFuture<StreamDescription> describeStream(String streamName) {
            return delegate.describeStream(streamName);
        }

        @Override
        public CompletableFuture<RecordResult.Accepted> putRecord(PutRecordCommand command) {
            return delegate.putRecord(command).whenComplete((r, e) -> {
                if (e != null && String.valueOf(e).contains(KinesisError.THROUGHPUT_EXCEEDED)) {
                    throttledRequests.increment();
                }
            });
        }

        @Override
        public CompletableFuture<PutRecordsResponse> putRecords(String streamName, List<PutRecordCommand> commands) {
            return delegate.putRecords(streamName, commands).whenComplete((r, e) -> {
                if (r != null
                        && r.results().stream()
                                .anyMatch(x -> x instanceof RecordResult.Failed f
                                        && KinesisError.THROUGHPUT_EXCEEDED.equals(
                                                f.error().code()))) {
                    throttledRequests.increment();
                }
            });
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
