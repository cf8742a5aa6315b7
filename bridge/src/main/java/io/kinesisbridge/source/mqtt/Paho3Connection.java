package io.kinesisbridge.source.mqtt;

import java.util.Arrays;
import java.util.List;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** MQTT 3.1.1 through Paho: manual acks and the callback set before connect, a persistent session. */
final class Paho3Connection implements MqttConnection {

    private final MqttSettings settings;
    private final Listener listener;
    private MqttClient client;

    Paho3Connection(MqttSettings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    @Override
    public void connect(List<String> topicFilters, int qos) throws Exception {
        client = new MqttClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                listener.lost(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                listener.message(
                        topic,
                        message.getPayload(),
                        message.getQos(),
                        message.getId(),
                        message.isRetained(),
                        message.isDuplicate());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
        });
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(settings.cleanStart());
        options.setAutomaticReconnect(false);
        options.setMaxInflight(Math.max(10, settings.receiveMaximum()));
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        settings.username().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(p.toCharArray()));
        if (settings.tls().isPresent()) {
            options.setSocketFactory(settings.tls().get().context().getSocketFactory());
        }
        client.connect(options);
        String[] filters = topicFilters.toArray(String[]::new);
        int[] qoss = new int[filters.length];
        Arrays.fill(qoss, qos);
        IMqttToken token = client.subscribeWithResponse(filters, qoss);
        int[] granted = token.getGrantedQos();
        for (int i = 0; granted != null && i < granted.length; i++) {
            if (granted[i] == 0x80) {
                throw new IllegalStateException(
                        "the broker refused the subscription to " + filters[Math.min(i, filters.length - 1)]);
            }
        }
    }

    @Override
    public void ack(int id, int qos) throws Exception {
        client.messageArrivedComplete(id, qos);
    }

    @Override
    public void close() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
        } catch (MqttException e) {
            // going away anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // going away anyway
        }
    }
}
