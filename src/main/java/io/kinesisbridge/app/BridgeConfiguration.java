package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.aws.AwsKinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.source.file.FileLines;
import io.kinesisbridge.source.http.HttpIngest;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Binds what the routes and the kinesis-put component use, built from the {@code bridge.*} properties of the
 * Camel context: the backend (with its streams), the dead-letter sink and the sources' helpers. Used by the
 * application and by Camel Main tests alike.
 */
public class BridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        BridgeSettings settings = settingsOf(context);
        Registry registry = context.getRegistry();
        KinesisBackend backend = createBackend(settings);
        registry.bind("kinesisBackend", KinesisBackend.class, backend);
        registry.bind("deadLetterSink", new FileDeadLetterSink(Path.of(settings.text("bridge.dead-letter.dir")),
                settings.longValue("bridge.dead-letter.max-file-bytes"), settings.integer("bridge.dead-letter.max-files")));
        registry.bind("httpIngest", new HttpIngest(settings.integer("bridge.http.max-body-bytes"), settings.text("bridge.http.token")));
        registry.bind("fileLines", new FileLines(settings.integer("bridge.dispatch.max-batch-records")));
    }

    /** The bridge.* properties Camel knows (from the application, a test, or defaults), checked as at start. */
    static BridgeSettings settingsOf(CamelContext context) {
        Properties props = context.getPropertiesComponent().loadProperties(k -> k.startsWith("bridge."));
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        return BridgeSettings.load(Optional.empty(), Map.of(), values);
    }

    static KinesisBackend createBackend(BridgeSettings settings) {
        String backend = settings.text("bridge.backend").trim().toLowerCase(java.util.Locale.ROOT);
        if (backend.equals("aws")) {
            LOG.info("AWS backend: the streams must exist; bridge.streams applies to the memory backend only");
            return AwsKinesisBackend.create(AwsSettings.of(settings));
        }
        MemoryBackendSettings memory = new MemoryBackendSettings(settings.bool("bridge.memory.shard-limits"),
                settings.integer("bridge.memory.records-per-second"), settings.longValue("bridge.memory.bytes-per-second"),
                settings.memoryMaxBytes(), MemoryBackendSettings.DEFAULT_ACCOUNT_ID, "us-east-1");
        InMemoryKinesis kinesis = new InMemoryKinesis(memory);
        for (StreamSpec s : settings.streams()) {
            kinesis.createStream(s.name(), s.shards(), s.maxRecordSizeBytes());
        }
        LOG.info("In-memory backend: streams {} (shard limits {}, memory cap {} MiB)", settings.text("bridge.streams"),
                memory.shardLimits() ? "on" : "off", memory.maxBytes() >> 20);
        return kinesis;
    }
}
