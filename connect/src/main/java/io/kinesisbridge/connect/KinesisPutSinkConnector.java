package io.kinesisbridge.connect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka Connect sink: puts the records of its topics into Kinesis Data Streams through the core's dispatcher (AWS's
 * validation, per-key order, batching, retries of failed entries only, per-shard pacing, dead letters). Every task
 * gets the same configuration; Connect spreads the topic partitions over them.
 */
public final class KinesisPutSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return ConnectorVersion.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        KinesisSinkConfig config = new KinesisSinkConfig(props);
        String topics = props.getOrDefault(TOPICS_CONFIG, "");
        List<String> unmapped = new ArrayList<>();
        for (String topic : topics.split(",")) {
            if (!topic.isBlank() && config.streamFor(topic.trim()).isEmpty()) {
                unmapped.add(topic.trim());
            }
        }
        if (!unmapped.isEmpty()) {
            throw new ConfigException("no stream for topic(s) " + unmapped + ": map them in "
                    + KinesisSinkConfig.TOPIC_STREAMS + " or set " + KinesisSinkConfig.STREAM);
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return KinesisPutSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return KinesisSinkConfig.CONFIG_DEF;
    }

    /** Connect's per-key validation, and the checks across keys (a target stream, the credentials' parts). */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName =
                config.configValues().stream().collect(Collectors.toMap(ConfigValue::name, v -> v, (a, b) -> a));
        KinesisSinkConfig.addCrossProblems(connectorConfigs, byName);
        return config;
    }
}
