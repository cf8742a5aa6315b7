package io.kinesisbridge.server;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.fault.FaultInjectingBackend;
import io.kinesisbridge.backend.fault.FaultSettings;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;

import java.time.Clock;

/**
 * An in-memory backend served on a free loopback port, for tests and the benchmark: {@link #store} is the backend,
 * {@link #url()} what clients point at.
 */
public final class RunningEndpoint implements AutoCloseable {

    public final InMemoryKinesis store;
    public final KinesisApi api;
    public final KinesisEndpoint endpoint;

    private RunningEndpoint(InMemoryKinesis store, KinesisBackend writer, Clock clock, SignatureCheck signatures) {
        this.store = store;
        this.api = new KinesisApi(store, writer, clock, new ShardIterators(clock, ShardIterators.DEFAULT_TTL), signatures);
        this.endpoint = new KinesisEndpoint(api, EndpointSettings.of("127.0.0.1", 0));
        endpoint.start();
    }

    public static RunningEndpoint start() {
        return start(MemoryBackendSettings.defaults(), FaultSettings.none(), Clock.systemUTC());
    }

    public static RunningEndpoint start(MemoryBackendSettings memory, FaultSettings faults, Clock clock) {
        return start(memory, faults, clock, SignatureCheck.OFF);
    }

    public static RunningEndpoint start(MemoryBackendSettings memory, FaultSettings faults, Clock clock, SignatureCheck signatures) {
        InMemoryKinesis store = new InMemoryKinesis(memory, clock);
        KinesisBackend writer = faults.active() ? new FaultInjectingBackend(store, faults, memory.accountId()) : store;
        return new RunningEndpoint(store, writer, clock, signatures);
    }

    public String url() {
        return endpoint.url();
    }

    public int port() {
        return endpoint.port();
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
