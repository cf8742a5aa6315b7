package io.kinesisbridge.app;

import java.util.List;

/**
 * The {@code bridge.mqtt.*} settings. The MQTT route reads them as placeholders; the bridge itself needs only what
 * the start-up report names.
 */
record MqttSettings(boolean enabled, String brokerUrl, String topics, String stream) {

    static final List<Setting> SETTINGS = List.of(
            Setting.bool(
                    "bridge.mqtt.enabled",
                    "false",
                    "Whether the MQTT source runs (off by default: it needs a broker). While the broker at bridge.mqtt.broker-url is away it keeps trying in the background (one warning, then quiet) and readiness says so; the rest of the bridge runs as usual."),
            Setting.text(
                    "bridge.mqtt.broker-url",
                    "tcp://127.0.0.1:1883",
                    "The broker: `tcp://HOST:PORT` or `ssl://HOST:PORT`."),
            Setting.custom(
                    "bridge.mqtt.topics",
                    "telemetry/+/#",
                    "Topic filters, comma-separated: wildcards `+` and `#`, shared subscriptions `$share/GROUP/FILTER` (several bridges with one group split the load).",
                    SettingChecks::topicFilters),
            Setting.oneOf("bridge.mqtt.version", "5", List.of("5", "3.1.1"), "MQTT protocol version."),
            Setting.oneOf(
                    "bridge.mqtt.qos",
                    "1",
                    List.of("0", "1", "2"),
                    "QoS of the subscriptions: 1 acknowledges each message only once Kinesis has its record; 0 has no acknowledgement; with 2 the client acknowledges receipt (PUBREC) on arrival."),
            Setting.text(
                    "bridge.mqtt.client-id",
                    "kinesis-bridge",
                    "Client id; the broker keeps the session (with unacknowledged messages) under it across reconnects and restarts. Give each bridge its own."),
            Setting.text("bridge.mqtt.username", "", "User name for the broker; empty for none."),
            Setting.text("bridge.mqtt.password", "", "Password for the broker."),
            Setting.text(
                    "bridge.mqtt.tls.truststore",
                    "",
                    "Trust store (PKCS12 or JKS) with the CA of an `ssl://` broker; empty: the JVM's trusted CAs."),
            Setting.text("bridge.mqtt.tls.truststore-password", "", "Password of the trust store."),
            Setting.text(
                    "bridge.mqtt.tls.keystore",
                    "",
                    "Key store (PKCS12 or JKS) with a client certificate, for brokers that ask for one."),
            Setting.text("bridge.mqtt.tls.keystore-password", "", "Password of the key store."),
            Setting.text("bridge.mqtt.stream", "telemetry", "Stream the MQTT source puts to."),
            Setting.text(
                    "bridge.mqtt.partition-key",
                    "topic:1",
                    "Partition key of MQTT records: `topic:N` (segment N of the topic from 0; default the device id of `telemetry/<device>/…`), `json:/field` (a payload field), `header:CamelMqttTopic` (the whole topic), or any key syntax of the component."),
            Setting.integer(
                    "bridge.mqtt.receive-maximum",
                    "1000",
                    1,
                    65_535,
                    "Messages the broker may send before acknowledgements come back."),
            Setting.integer(
                    "bridge.mqtt.reconnect-max-delay-ms",
                    "30000",
                    100,
                    3_600_000,
                    "Longest pause between two connection attempts (backoff starts at 1 s and doubles)."));

    static MqttSettings of(BridgeSettings s) {
        return new MqttSettings(
                s.bool("bridge.mqtt.enabled"),
                s.text("bridge.mqtt.broker-url"),
                s.text("bridge.mqtt.topics"),
                s.text("bridge.mqtt.stream"));
    }
}
