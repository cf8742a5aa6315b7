package io.kinesisbridge.source.mqtt;

import java.util.List;

/** A connection to a broker with manual acknowledgement, over MQTT 5 or 3.1.1 (both Eclipse Paho). */
interface MqttConnection extends AutoCloseable {

    /** What the connection reports; called on the client's threads. */
    interface Listener {
        /** A message; {@code id} is its packet identifier (0 for QoS 0), to acknowledge with {@link #ack}. */
        void message(String topic, byte[] payload, int qos, int id, boolean retained, boolean duplicate);

        void lost(Throwable cause);
    }

    /** Connects (the listener is in place before, so a resumed session's messages reach it) and subscribes. */
    void connect(List<String> topicFilters, int qos) throws Exception;

    /** Sends the PUBACK (QoS 1) or PUBCOMP side (QoS 2) for a message, once its record is in Kinesis. */
    void ack(int id, int qos) throws Exception;

    /** Disconnects without acknowledging what is pending: the broker delivers it again to the next session. */
    @Override
    void close();
}
