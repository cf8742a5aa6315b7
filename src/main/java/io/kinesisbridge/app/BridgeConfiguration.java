package io.kinesisbridge.app;

import io.kinesisbridge.backend.KinesisBackend;
import io.kinesisbridge.backend.memory.InMemoryKinesis;
import io.kinesisbridge.backend.memory.MemoryBackendSettings;
import io.kinesisbridge.deadletter.FileDeadLetterSink;
import io.kinesisbridge.source.file.FileLines;
import io.kinesisbridge.source.file.FileTailer;
import io.kinesisbridge.source.file.RecordFormat;
import io.kinesisbridge.source.file.TailSettings;
import io.kinesisbridge.source.http.HttpIngest;
import io.kinesisbridge.source.syslog.SyslogCodecs;
import io.kinesisbridge.source.syslog.SyslogParser;
import io.kinesisbridge.source.syslog.SyslogRecords;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

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
        registry.bind("httpIngest", new HttpIngest(settings.integer("bridge.http.max-body-bytes"), settings.text("bridge.http.token"),
                settings.integer("bridge.http.saturated-status"), settings.integer("bridge.http.retry-after-seconds")));
        registry.bind("fileLines", new FileLines(settings.integer("bridge.dispatch.max-batch-records")));
        FileTailer tailer = new FileTailer(tailSettings(settings));
        registry.bind("fileTailer", tailer);
        addService(context, tailer);
        int syslogMax = settings.integer("bridge.syslog.max-message-bytes");
        registry.bind("syslogTcpFraming", SyslogCodecs.tcpFraming(syslogMax));
        registry.bind("syslogUdpDatagrams", SyslogCodecs.udpDatagrams(syslogMax));
        registry.bind("syslogRecords", new SyslogRecords(new SyslogParser()));
    }

    private static void addService(CamelContext context, Object service) {
        try {
            context.addService(service, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + service, e);
        }
    }

    static TailSettings tailSettings(BridgeSettings settings) {
        List<String> paths = splitList(settings.text("bridge.file.paths"));
        String multiline = settings.text("bridge.file.multiline.start");
        return new TailSettings(paths, settings.text("bridge.file.start-at").equals("end"),
                RecordFormat.parse(settings.text("bridge.file.format")), splitList(settings.text("bridge.file.csv.columns")),
                multiline.isEmpty() ? Optional.empty() : Optional.of(Pattern.compile(multiline)),
                Duration.ofMillis(settings.longValue("bridge.file.multiline.flush-ms")),
                Path.of(settings.text("bridge.file.checkpoint-file")),
                Duration.ofMillis(settings.longValue("bridge.file.rotate-wait-ms")),
                settings.integer("bridge.dispatch.max-batch-records"), settings.integer("bridge.file.max-record-bytes"));
    }

    static List<String> splitList(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The bridge.* properties Camel knows (from the application, a test, or defaults), checked as at start. */
    static BridgeSettings settingsOf(CamelContext context) {
        Properties props = context.getPropertiesComponent().loadProperties(k -> k.startsWith("bridge."));
        Map<String, String> values = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        return BridgeSettings.load(Optional.empty(), Map.of(), values);
    }

    static KinesisBackend createBackend(BridgeSettings settings) {
        String backend = settings.text("bridge.backend");
        if (!backend.equals("memory")) {
            throw new InvalidSettingException("Setting bridge.backend: '" + backend + "' is not available in this build; use memory");
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
