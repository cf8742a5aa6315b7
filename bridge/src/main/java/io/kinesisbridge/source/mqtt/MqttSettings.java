package io.kinesisbridge.source.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The connection settings of an mqtt-ack endpoint, checked once. */
record MqttSettings(
        String brokerUrl,
        MqttVersion version,
        List<String> topicFilters,
        int qos,
        String clientId,
        Optional<String> username,
        Optional<String> password,
        boolean cleanStart,
        long sessionExpirySeconds,
        int receiveMaximum,
        int keepAliveSeconds,
        Duration connectTimeout,
        Optional<MqttTls> tls) {

    enum MqttVersion {
        V5,
        V3_1_1;

        static MqttVersion parse(String v) {
            return switch (v.trim()) {
                case "5", "5.0" -> V5;
                case "3.1.1", "3", "4" -> V3_1_1;
                default -> throw new IllegalArgumentException("MQTT version '" + v + "' is not 5 or 3.1.1");
            };
        }
    }

    MqttSettings {
        topicFilters = List.copyOf(topicFilters);
        if (topicFilters.isEmpty()) {
            throw new IllegalArgumentException("at least one topic filter is needed");
        }
        for (String f : topicFilters) {
            TopicFilters.check(f);
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2");
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException(
                    "a client id is needed: the broker keeps the session (and unacknowledged messages) under it");
        }
    }
}
