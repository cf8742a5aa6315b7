package io.kinesisbridge.source.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** MQTT 5 through Paho: manual acks and the callback set before connect, a session kept by the broker. */
final class Paho5Connection implements MqttConnection {

    private final MqttSettings settings;
    private final Listener listener;
    private MqttClient client;

    Paho5Connection(MqttSettings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    @Override
    public void connect(List<String> topicFilters, int qos) throws Exception {
        client = new MqttClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        client.setManualAcks(true);
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                listener.lost(
                        response.getException() != null
                                ? response.getException()
                                : new IllegalStateException(
                                        "disconnected by the broker: " + response.getReasonString()));
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                listener.lost(exception);
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
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(settings.cleanStart());
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setAutomaticReconnect(false);
        options.setReceiveMaximum(settings.receiveMaximum());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        settings.username().ifPresent(options::setUserName);
        settings.password().ifPresent(p -> options.setPassword(p.getBytes(StandardCharsets.UTF_8)));
        if (settings.tls().isPresent()) {
            options.setSocketFactory(settings.tls().get().context().getSocketFactory());
        }
        client.connect(options);
        MqttSubscription[] subscriptions =
                topicFilters.stream().map(f -> new MqttSubscription(f, qos)).toArray(MqttSubscription[]::new);
        IMqttToken token = client.subscribe(subscriptions);
        int[] granted = token.getReasonCodes();
        for (int i = 0; granted != null && i < granted.length; i++) {
            if (granted[i] >= 0x80) {
                throw new IllegalStateException("the broker refused the subscription to "
                        + topicFilters.get(Math.min(i, topicFilters.size() - 1)) + " (reason code 0x"
                        + Integer.toHexString(granted[i]) + ")");
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
