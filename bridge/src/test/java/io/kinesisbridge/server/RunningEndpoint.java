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

    private RunningEndpoint(
            InMemoryKinesis store,
            KinesisBackend writer,
            Clock clock,
            SignatureCheck signatures,
            EndpointSettings settings) {
        this.store = store;
        this.api =
                new KinesisApi(store, writer, clock, new ShardIterators(clock, ShardIterators.DEFAULT_TTL), signatures);
        this.endpoint = new KinesisEndpoint(api, settings);
        endpoint.start();
    }

    public static RunningEndpoint start() {
        return start(MemoryBackendSettings.defaults(), FaultSettings.none(), Clock.systemUTC());
    }

    public static RunningEndpoint start(MemoryBackendSettings memory, FaultSettings faults, Clock clock) {
        return start(memory, faults, clock, SignatureCheck.OFF);
    }

    public static RunningEndpoint start(
            MemoryBackendSettings memory, FaultSettings faults, Clock clock, SignatureCheck signatures) {
        InMemoryKinesis store = new InMemoryKinesis(memory, clock);
        KinesisBackend writer = faults.active() ? new FaultInjectingBackend(store, faults, memory.accountId()) : store;
        return new RunningEndpoint(store, writer, clock, signatures, EndpointSettings.of("127.0.0.1", 0));
    }

    /** An endpoint on a free port with these settings (their host and port are ignored). */
    public static RunningEndpoint start(EndpointSettings settings) {
        InMemoryKinesis store = new InMemoryKinesis(MemoryBackendSettings.defaults(), Clock.systemUTC());
        EndpointSettings free = new EndpointSettings(
                "127.0.0.1",
                0,
                settings.eventLoops(),
                settings.maxRequestBytes(),
                settings.maxBodyBytesInFlight(),
                settings.maxConnections(),
                settings.idleTimeout(),
                settings.headerTimeout(),
                settings.requestTimeout());
        return new RunningEndpoint(store, store, Clock.systemUTC(), SignatureCheck.OFF, free);
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
