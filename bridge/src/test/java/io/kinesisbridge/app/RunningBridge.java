package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The bridge as {@code java -jar} runs it (BridgeMain, config/application.properties, the YAML routes in routes/),
 * started in this JVM with every source off unless the test turns it on, data directories under {@code dataDir}.
 */
public final class RunningBridge implements AutoCloseable {

    private final Main main;

    private RunningBridge(Main main) {
        this.main = main;
    }

    /** Starts the bridge; {@code settings} override the defaults below and the shipped configuration. */
    public static RunningBridge start(Path dataDir, Map<String, String> settings) throws Exception {
        return start(dataDir, settings, null);
    }

    /** As {@link #start(Path, Map)}, with the routes of {@code routes} (a directory, or Camel's pattern syntax). */
    public static RunningBridge start(Path dataDir, Map<String, String> settings, String routes) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("bridge.http.enabled", "false");
        all.put("bridge.file.enabled", "false");
        all.put("bridge.syslog.enabled", "false");
        all.put("bridge.mqtt.enabled", "false");
        all.put("bridge.dead-letter.dir", dataDir.resolve("dead-letter").toString());
        all.put("bridge.spool.dir", dataDir.resolve("spool").toString());
        all.put("bridge.file.inbox", dataDir.resolve("inbox").toString());
        all.put(
                "bridge.file.checkpoint-file",
                dataDir.resolve("file-checkpoints.json").toString());
        all.put("bridge.shutdown-timeout-ms", "2000");
        // no fixed ports in tests: the endpoint and the management server take free ones
        all.put("bridge.endpoint.port", "0");
        all.put("bridge.management.port", "0");
        all.put("bridge.progress-interval-seconds", "0");
        all.putAll(settings);
        all.keySet()
                .removeIf(k -> k.startsWith("bridge.")
                        && BridgeSettings.KNOWN.stream().noneMatch(s -> s.key().equals(k)));
        List<String> args = new ArrayList<>();
        all.forEach((k, v) -> args.add("--" + k + "=" + v));
        if (routes != null) {
            args.add("--routes=" + routes);
        }
        Main main = BridgeMain.create(args.toArray(String[]::new), Map.of());
        main.start();
        return new RunningBridge(main);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public InMemoryKinesis kinesis() {
        return (InMemoryKinesis) context().getRegistry().lookupByNameAndType("kinesisBackend", KinesisBackend.class);
    }

    /** The data of every record of the stream, as UTF-8 text, shard by shard. */
    public List<String> records(String stream) {
        List<String> data = new ArrayList<>();
        for (StreamRecord r : kinesis().readAll(stream)) {
            data.add(new String(r.data(), StandardCharsets.UTF_8));
        }
        return data;
    }

    public List<StreamRecord> streamRecords(String stream) {
        return kinesis().readAll(stream);
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
