package io.kinesisbridge.source.mqtt;

import org.apache.camel.spi.Metadata;

/** Headers of the messages an mqtt-ack consumer delivers (named as camel-paho's, so keys like topic:N read them). */
public final class MqttAckConstants {

    @Metadata(label = "consumer", javaType = "String", description = "The topic the message was published to.")
    public static final String TOPIC = "CamelMqttTopic";

    @Metadata(label = "consumer", javaType = "int", description = "The QoS the message was delivered with.")
    public static final String QOS = "CamelMqttQoS";

    @Metadata(label = "consumer", javaType = "boolean", description = "Whether the message is a retained message.")
    public static final String RETAINED = "CamelMqttRetained";

    @Metadata(
            label = "consumer",
            javaType = "boolean",
            description = "Whether the broker says it may have delivered the message before (DUP flag).")
    public static final String DUPLICATE = "CamelMqttDuplicate";

    private MqttAckConstants() {}
}
