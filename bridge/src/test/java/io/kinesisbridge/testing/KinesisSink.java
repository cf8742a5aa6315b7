package io.kinesisbridge.testing;

import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.backend.memory.StreamRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Kinesis" for fault tests: a second bridge process serving its in-memory backend on the Kinesis endpoint
 * (JSON and CBOR), its streams persisted so that it can be stopped and started again on the same port and keep
 * what it acknowledged; per-shard limits and injected faults as asked. Its records are read from the persisted
 * directory once it is stopped.
 */
public final class KinesisSink implements AutoCloseable {

    private final Path workDir;
    private final int port;
    private final String streams;
    private BridgeProcess process;

    private KinesisSink(Path workDir, String streams) {
        this.workDir = workDir;
        this.port = FreePorts.tcp();
        this.streams = streams;
    }

    /** Starts it with {@code streams} (name:shards,…) and {@code settings} (limits, faults) on top. */
    public static KinesisSink start(Path workDir, String streams, Map<String, String> settings) {
        KinesisSink sink = new KinesisSink(workDir, streams);
        sink.launch(settings);
        return sink;
    }

    private void launch(Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("bridge.backend", "memory");
        all.put("bridge.streams", streams);
        all.put("bridge.memory.persist-dir", persistDir().toString());
        all.put("bridge.endpoint.enabled", "true");
        all.put("bridge.endpoint.port", String.valueOf(port));
        all.putAll(settings);
        process = BridgeProcess.start(workDir, "sink", all);
        process.awaitUp(Duration.ofSeconds(60));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private Path persistDir() {
        return workDir.resolve("sink-streams");
    }

    /** Stops it (SIGTERM); what it acknowledged stays in its directory. */
    public void stop() throws InterruptedException {
        process.stop();
    }

    /** Starts it again on the same port and directory, with these settings (e.g. without limits). */
    public void restart(Map<String, String> settings) throws InterruptedException {
        if (process.isAlive()) {
            process.stop();
        }
        launch(settings);
    }

    /** Every record of the stream it holds; stops it first. */
    public List<StreamRecord> records(String stream) throws InterruptedException {
        stop();
        InMemoryKinesis saved = InMemoryKinesis.durable(MemoryBackendSettings.defaults(), persistDir(), false);
        try {
            return saved.readAll(stream);
        } finally {
            saved.close();
        }
    }

    public BridgeProcess process() {
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
