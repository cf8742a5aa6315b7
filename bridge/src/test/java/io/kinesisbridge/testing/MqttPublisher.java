package io.kinesisbridge.testing;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/** A real MQTT client that publishes (Paho, MQTT 5 or 3.1.1). */
public final class MqttPublisher implements AutoCloseable {

    private final MqttClient v5;
    private final org.eclipse.paho.client.mqttv3.MqttClient v3;

    private MqttPublisher(MqttClient v5, org.eclipse.paho.client.mqttv3.MqttClient v3) {
        this.v5 = v5;
        this.v3 = v3;
    }

    public static MqttPublisher v5(String url) throws Exception {
        MqttClient c = new MqttClient(url, "pub-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        c.connect(o);
        return new MqttPublisher(c, null);
    }

    public static MqttPublisher v3(String url) throws Exception {
        var c = new org.eclipse.paho.client.mqttv3.MqttClient(
                url, "pub-" + UUID.randomUUID(), new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        var o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setMaxInflight(1000);
        c.connect(o);
        return new MqttPublisher(null, c);
    }

    public void publish(String topic, String payload, int qos) throws Exception {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        while (true) {
            try {
                if (v5 != null) {
                    v5.publish(topic, bytes, qos, false);
                } else {
                    v3.publish(topic, bytes, qos, false);
                }
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
            } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                if (e.getReasonCode() != org.eclipse.paho.client.mqttv3.MqttException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
            }
            // the client's in-flight window is full: its acknowledgements come back within milliseconds
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public void close() throws Exception {
        if (v5 != null) {
            v5.disconnect();
            v5.close();
        } else {
            v3.disconnect();
            v3.close();
        }
    }
}
